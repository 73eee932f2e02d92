package dev.logwait.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** A service's unit test, as a team would write it: the real logger, no broker. */
class RecorderTest {
  static final FeatureSet RANKER =
      FeatureSet.builder("ranker", 2).addDouble("price").addString("country").build();

  @Test
  void whatTheCodeUnderTestLoggedIsReadBackAsValues() {
    Recorder recorder = new Recorder();
    PredictionLogger logger =
        recorder.predictionLogger(
            PredictionLogger.builder()
                .sampleRate("ranker_c", 0.0)
                // the service's production settings: the recorder keeps records in memory
                .spool(java.nio.file.Path.of("target", "recorder-spool"), 1 << 20));
    for (String model : List.of("ranker_a", "ranker_b", "ranker_c")) {
      logger.log(
          logger
              .prediction(RANKER, model, "2026-11")
              .set("price", 9.5)
              .set("country", model.equals("ranker_b") ? "de" : "fr")
              .entity("user_id", "u1")
              .score(0.25));
    }
    LabelLogger labels = recorder.labelLogger(LabelLogger.builder());
    labels.log(new Label("e-1", "click", 1, 1_000_000L, "p-1", Map.of()));

    LogwaitAssertions.assertThat(recorder).hasSize(2); // ranker_c is sampled out
    LogwaitAssertions.assertThat(recorder)
        .loggedPrediction()
        .forModel("ranker_b")
        .withFeature("country", "de")
        .withFeature("price", 9.5)
        .withEntity("user_id", "u1")
        .withScore(0.25)
        .ofFeatureSet("ranker")
        .once();
    LoggedPrediction b =
        LogwaitAssertions.assertThat(recorder).loggedPrediction().forModel("ranker_b").get();
    Assertions.assertThat(b.featureSetVersion()).isEqualTo(2);
    Assertions.assertThat(b.features()).isEqualTo(Map.of("price", 9.5, "country", "de"));
    Assertions.assertThat(recorder.labels())
        .containsExactly(new LoggedLabel("e-1", "click", 1.0, 1_000_000L, "p-1", Map.of()));

    assertThatThrownBy(
            () ->
                LogwaitAssertions.assertThat(recorder)
                    .loggedPrediction()
                    .forModel("ranker_b")
                    .withFeature("country", "us"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "Expected a logged prediction for model ranker_b, with feature country = us")
        .hasMessageContaining("none of the 2 logged matches")
        .hasMessageContaining("country=de");
    recorder.clear();
    LogwaitAssertions.assertThat(recorder).isEmpty();

    // A feature and a score the service never set read as missing, not as "" and 0.0.
    logger.log(logger.prediction(RANKER, "ranker_a", "2026-11").set("price", 1.0));
    LoggedPrediction partial = LogwaitAssertions.assertThat(recorder).loggedPrediction().get();
    Assertions.assertThat(partial.features())
        .containsEntry("price", 1.0)
        .containsEntry("country", null);
    Assertions.assertThat(partial.prediction()).isNull();
    LogwaitAssertions.assertThat(recorder).loggedPrediction().withFeature("country", null).once();
    Assertions.assertThat(logger.stats().withUnsetFeatures()).isEqualTo(1);
    logger.close();
    labels.close();
  }

  @Test
  void vectorsCompareByElementTwoMatchesAreNotOneAndLabelsHaveAssertions() {
    FeatureSet emb = FeatureSet.builder("emb", 1).addFloatVector("v").addDoubleVector("w").build();
    Recorder recorder = new Recorder();
    PredictionLogger logger = recorder.predictionLogger(PredictionLogger.builder());
    for (int i = 0; i < 2; i++) {
      logger.log(
          logger
              .prediction(emb, "m", "1")
              .predictionId("p-" + i)
              .set("v", new float[] {0.5f, i})
              .set("w", new double[] {1.5})
              .score(i));
    }
    LogwaitAssertions.assertThat(recorder)
        .loggedPrediction()
        .withFeature("v", new float[] {0.5f, 1f})
        .withFeature("w", new double[] {1.5})
        .withId("p-1")
        .once();
    assertThatThrownBy(
            () ->
                LogwaitAssertions.assertThat(recorder)
                    .loggedPrediction()
                    .withFeature("v", new float[] {9f}))
        .hasMessageContaining("with feature v = [9.0]")
        .hasMessageNotContaining("[F@");
    assertThatThrownBy(() -> LogwaitAssertions.assertThat(recorder).loggedPrediction().get())
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("but 2 match");
    Assertions.assertThat(LogwaitAssertions.assertThat(recorder).loggedPrediction().all())
        .extracting(LoggedPrediction::predictionId)
        .containsExactly("p-0", "p-1");

    LabelLogger labels = recorder.labelLogger(LabelLogger.builder());
    java.time.Instant at = java.time.Instant.parse("2026-11-02T10:15:30.000001Z");
    labels.log(Label.forPrediction("p-1", "click", 1, at));
    labels.log(
        Label.builder("purchase").entity("user_id", "u1").value(12.5).occurredAt(at).build());
    LogwaitAssertions.assertThatLabels(recorder).hasSize(2);
    LogwaitAssertions.assertThatLabels(recorder)
        .loggedLabel()
        .named("click")
        .forPrediction("p-1")
        .occurredAt(at)
        .once();
    Assertions.assertThat(
            LogwaitAssertions.assertThatLabels(recorder)
                .loggedLabel()
                .withEntity("user_id", "u1")
                .get()
                .value())
        .isEqualTo(12.5);
    assertThatThrownBy(
            () -> LogwaitAssertions.assertThatLabels(recorder).loggedLabel().named("refund"))
        .hasMessageContaining("Expected a logged label event named refund")
        .hasMessageContaining("click=1.0 at 2026-11-02T10:15:30.000001Z prediction=p-1");
    logger.close();
    labels.close();
  }
}
