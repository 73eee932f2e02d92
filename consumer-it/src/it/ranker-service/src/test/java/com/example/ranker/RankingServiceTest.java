package com.example.ranker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.LoggerMeters;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.testing.LoggedPrediction;
import dev.logwait.testing.LogwaitAssertions;
import dev.logwait.testing.Recorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The service's unit test: the real loggers on a recorder, no broker. */
class RankingServiceTest {
  @Test
  void logsWhatItServedAndTheClick() {
    Recorder recorder = new Recorder();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PredictionLogger predictions =
        recorder.predictionLogger(
            PredictionLogger.builder().clientId("ranker").meters(LoggerMeters.of(registry)));
    LabelLogger labels = recorder.labelLogger(LabelLogger.builder());
    RankingService service = new RankingService(predictions, labels);

    String id = service.rank("u1", 20.0, "de", new float[] {0.5f, -1f});
    String unknownCountry = service.rank("u2", 30.0, null, new float[] {0f});
    service.clicked(id);

    LogwaitAssertions.assertThat(recorder)
        .loggedPrediction()
        .withId(id)
        .forModel("ranker_b")
        .withFeature("country", "de")
        .withFeature("embedding", new float[] {0.5f, -1f})
        .withEntity("user_id", "u1")
        .once();
    LoggedPrediction missing =
        LogwaitAssertions.assertThat(recorder).loggedPrediction().withId(unknownCountry).get();
    assertThat(missing.features()).containsEntry("country", null);
    LogwaitAssertions.assertThatLabels(recorder)
        .loggedLabel()
        .named("click")
        .forPrediction(id)
        .once();
    assertThat(predictions.stats().withUnsetFeatures()).isEqualTo(1);
    assertThat(
            registry
                .get("logwait.logger.with_unset_features")
                .tag("client_id", "ranker")
                .functionCounter()
                .count())
        .isEqualTo(1.0);
    predictions.close();
    labels.close();
  }
}
