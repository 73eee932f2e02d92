package dev.logwait.testing;

import dev.logwait.logger.bandit.Router;
import java.util.List;

/**
 * Entry points of the readable assertions on what was logged.
 *
 * <pre>{@code
 * assertThat(recorder).hasSize(3);
 * assertThat(recorder).loggedPrediction().forModel("ranker_b").withFeature("country", "de").once();
 * assertThatLabels(recorder).loggedLabel().named("click").forPrediction(id).once();
 * assertThat(router).chose("list", 1);
 * }</pre>
 */
public final class LogwaitAssertions {
  private LogwaitAssertions() {}

  /**
   * Assertions on the predictions a recorder's loggers sent.
   *
   * @param recorder the recorder
   * @return assertions on its predictions
   */
  public static PredictionsAssert assertThat(Recorder recorder) {
    return new PredictionsAssert(recorder.predictions());
  }

  /**
   * Assertions on predictions read back (e.g. by {@link TopicReader}).
   *
   * @param predictions the predictions
   * @return assertions on them
   */
  public static PredictionsAssert assertThat(List<LoggedPrediction> predictions) {
    return new PredictionsAssert(predictions);
  }

  /**
   * Assertions on the label events a recorder's loggers sent.
   *
   * @param recorder the recorder
   * @return assertions on its label events
   */
  public static LabelsAssert assertThatLabels(Recorder recorder) {
    return new LabelsAssert(recorder.labels());
  }

  /**
   * Assertions on label events read back (e.g. by {@link TopicReader#labels}).
   *
   * @param labels the label events
   * @return assertions on them
   */
  public static LabelsAssert assertThatLabels(List<LoggedLabel> labels) {
    return new LabelsAssert(labels);
  }

  /**
   * Assertions on what a router chose (a {@link Routers#pinned pinned} one, or any other).
   *
   * @param router the router
   * @return assertions on its choices
   */
  public static RouterAssert assertThat(Router router) {
    return new RouterAssert(router);
  }
}
