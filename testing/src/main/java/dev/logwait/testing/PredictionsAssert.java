package dev.logwait.testing;

import java.util.List;

/** Assertions on a list of logged predictions. */
public final class PredictionsAssert {
  private final List<LoggedPrediction> predictions;

  PredictionsAssert(List<LoggedPrediction> predictions) {
    this.predictions = List.copyOf(predictions);
  }

  /**
   * Fails unless exactly {@code n} predictions were logged.
   *
   * @param n the expected count
   * @return this
   */
  public PredictionsAssert hasSize(int n) {
    if (predictions.size() != n) {
      throw new AssertionError(
          "Expected "
              + n
              + " logged predictions but there were "
              + predictions.size()
              + ":\n"
              + PredictionAssert.describe(predictions));
    }
    return this;
  }

  /**
   * Fails unless nothing was logged.
   *
   * @return this
   */
  public PredictionsAssert isEmpty() {
    return hasSize(0);
  }

  /**
   * Narrows to the predictions that match the conditions chained after it ({@code forModel}, {@code
   * withFeature}, …); each condition fails at once when none is left.
   *
   * @return assertions on one logged prediction
   */
  public PredictionAssert loggedPrediction() {
    if (predictions.isEmpty()) {
      throw new AssertionError("Expected a logged prediction but nothing was logged");
    }
    return new PredictionAssert(predictions);
  }
}
