package dev.logwait.testing;

import java.util.List;

/** Assertions on a list of logged label events. */
public final class LabelsAssert {
  private final List<LoggedLabel> labels;

  LabelsAssert(List<LoggedLabel> labels) {
    this.labels = List.copyOf(labels);
  }

  /**
   * Fails unless exactly {@code n} label events were logged.
   *
   * @param n the expected count
   * @return this
   */
  public LabelsAssert hasSize(int n) {
    if (labels.size() != n) {
      throw new AssertionError(
          "Expected "
              + n
              + " logged label events but there were "
              + labels.size()
              + ":\n"
              + LabelAssert.describe(labels));
    }
    return this;
  }

  /**
   * Fails unless no label event was logged.
   *
   * @return this
   */
  public LabelsAssert isEmpty() {
    return hasSize(0);
  }

  /**
   * Narrows to the label events that match the conditions chained after it ({@code named}, {@code
   * forPrediction}, …); each condition fails at once when none is left.
   *
   * @return assertions on one logged label event
   */
  public LabelAssert loggedLabel() {
    if (labels.isEmpty()) {
      throw new AssertionError("Expected a logged label event but none was logged");
    }
    return new LabelAssert(labels);
  }
}
