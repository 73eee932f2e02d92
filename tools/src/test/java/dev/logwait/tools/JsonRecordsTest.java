package dev.logwait.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import dev.logwait.testing.LoggedPrediction;
import dev.logwait.testing.Recorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replay's JSON parsing: a value the record cannot hold exactly is a bad line, never a guess. */
class JsonRecordsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final FeatureSet FS =
      FeatureSet.builder("r", 1)
          .addLong("n")
          .addInt("i")
          .addDouble("x")
          .addFloat("f")
          .addFloatVector("v")
          .build();
  static PredictionLogger logger; // never sends: only builds records

  @BeforeAll
  static void start() {
    logger = PredictionLogger.builder().bootstrapServers("127.0.0.1:1").build();
  }

  @AfterAll
  static void stop() {
    logger.close(Duration.ofMillis(100));
  }

  private static void parse(String features, String extra) throws Exception {
    JsonRecords.prediction(
        logger,
        Map.of("r/1", FS),
        JSON.readTree(
            "{\"feature_set\": \"r\", \"feature_set_version\": 1, \"model_name\": \"m\","
                + " \"model_version\": \"1\", \"served_at\": 1780000000000000, \"prediction\": 0.5,"
                + " \"features\": {"
                + features
                + "}"
                + extra
                + "}"));
  }

  @Test
  void aGoodLineParsesIntoExactlyItsValues() throws Exception {
    Recorder recorder = new Recorder();
    try (PredictionLogger recording = recorder.predictionLogger(PredictionLogger.builder())) {
      recording.log(
          JsonRecords.prediction(
              recording,
              Map.of("r/1", FS),
              JSON.readTree(
                  "{\"feature_set\": \"r\", \"feature_set_version\": 1, \"model_name\": \"m\","
                      + " \"model_version\": \"1\", \"served_at\": 1780000000000000,"
                      + " \"prediction\": 0.5, \"features\": {\"n\": 9223372036854775807,"
                      + " \"i\": -5, \"x\": 1e300, \"f\": 3.5, \"v\": [1, 2]},"
                      + " \"entity_keys\": {\"user_id\": \"u1\", \"shop\": 42}}")));
      recording.flush(Duration.ofSeconds(10));
    }
    LoggedPrediction p = recorder.predictions().get(0);
    assertThat(p.modelName()).isEqualTo("m");
    assertThat(p.servedAtMicros()).isEqualTo(1780000000000000L);
    assertThat(p.prediction()).isEqualTo(0.5);
    assertThat(p.entityKeys())
        .containsExactlyInAnyOrderEntriesOf(Map.of("user_id", "u1", "shop", "42"));
    assertThat(p.features())
        .containsEntry("n", Long.MAX_VALUE)
        .containsEntry("i", -5)
        .containsEntry("x", 1e300)
        .containsEntry("f", 3.5f)
        .containsEntry("v", List.of(1f, 2f));
  }

  @Test
  void aLongPastItsRangeIsABadLine() {
    assertThatThrownBy(() -> parse("\"n\": 99999999999999999999", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "features.n: expected a whole number that fits a long, not 99999999999999999999");
    assertThatThrownBy(() -> parse("\"i\": 3000000000", ""))
        .hasMessage("features.i: expected a whole number that fits an int, not 3000000000");
  }

  @Test
  void aNumberPastADoublesRangeIsABadLineNotInfinity() {
    assertThatThrownBy(() -> parse("\"x\": 1e400", ""))
        .hasMessageStartingWith("features.x: expected a number within a double's range");
    assertThatThrownBy(() -> parse("\"f\": 1e39", ""))
        .hasMessageStartingWith("features.f: expected a number within a float's range");
    assertThatThrownBy(() -> parse("\"v\": [1, 1e400]", ""))
        .hasMessageStartingWith("features.v[1]: expected a number within a double's range");
    assertThatThrownBy(() -> parse("", ", \"propensity\": -1e400"))
        .hasMessageStartingWith("propensity: expected a number within a double's range");
  }

  @Test
  void anEntityKeyThatIsNotAScalarIsABadLine() {
    assertThatThrownBy(() -> parse("", ", \"entity_keys\": {\"user_id\": {\"a\": 1}}"))
        .hasMessage("entity_keys.user_id: expected a string (or a whole number), not {\"a\":1}");
    assertThatThrownBy(() -> parse("", ", \"entity_keys\": {\"user_id\": null}"))
        .hasMessageStartingWith("entity_keys.user_id: expected a string");
  }

  @Test
  void servedAtPastALongIsABadLine() {
    assertThatThrownBy(
            () ->
                JsonRecords.label(
                    JSON.readTree(
                        "{\"label_name\": \"click\", \"value\": 1,"
                            + " \"occurred_at\": 99999999999999999999}")))
        .hasMessageStartingWith("occurred_at: expected epoch microseconds that fit a long");
  }
}
