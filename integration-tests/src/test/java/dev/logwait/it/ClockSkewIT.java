package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.logger.Label;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A label producer with a bad clock (2099), a prediction served "in 2099", one at the largest
 * timestamp Avro can carry and one at 0: each is quarantined as EVENT_TIME_OUT_OF_RANGE, the label
 * watermark does not move, nothing is finalized early, and later runs still join (no overflow).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClockSkewIT {
  static final FeatureSet FS = FeatureSet.builder("skew", 1).addDouble("x").build();
  static final long T0 = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli() * 1000;
  static final long MIN = 60_000_000L;
  static final long Y2099 = Instant.parse("2099-01-01T00:00:00Z").toEpochMilli() * 1000;

  @Test
  void implausibleEventTimesAreQuarantinedAndHoldNoWindow() {
    Scenario s =
        new Scenario(
            "skew", 1, 1, "labels:\n  - {name: click, window: 30m, aggregation: exists}\n", "1m");
    try (PredictionLogger logger = s.predictionLogger().build()) {
      for (int i = 0; i < 10; i++) {
        logger.log(
            logger.prediction(FS, "m", "1").predictionId("p" + i).servedAtMicros(T0 + i * MIN));
      }
      logger.log(logger.prediction(FS, "m", "1").predictionId("future").servedAtMicros(Y2099));
      logger.log(
          logger.prediction(FS, "m", "1").predictionId("max").servedAtMicros(Long.MAX_VALUE));
      logger.log(logger.prediction(FS, "m", "1").predictionId("zero").servedAtMicros(0));
      logger.flush(Duration.ofSeconds(60));
    }
    for (int i : new int[] {1, 3, 5}) {
      s.sendLabel(0, new Label("c" + i, "click", 1, T0 + (i + 2) * MIN, "p" + i, Map.of()));
    }
    s.sendLabel(0, new Label("bad-clock", "click", 1, Y2099, "nobody", Map.of()));

    var first = s.run();
    assertThat(first.counts())
        .containsEntry("event_time_out_of_range", 4L)
        .containsEntry("quarantined", 4L)
        .containsEntry("predictions_written", 10L)
        .containsEntry("labels_written", 3L)
        .containsEntry("finalized", 0L);
    assertThat(first.watermarkMicros()).as("latest plausible click - 1m").isEqualTo(T0 + 6 * MIN);
    assertThat(first.counts().get("watermark_lag_seconds")).isPositive();
    assertThat(
            s.spark()
                .sql(
                    "SELECT concat(reason, ' ', detail) FROM "
                        + s.table("quarantine")
                        + " ORDER BY topic, kafka_offset")
                .as(Encoders.STRING())
                .collectAsList())
        .hasSize(4)
        .allSatisfy(r -> assertThat(r).startsWith("EVENT_TIME_OUT_OF_RANGE "))
        .anySatisfy(r -> assertThat(r).contains("occurred_at 2099-01-01 00:00:00", "5m"))
        .anySatisfy(r -> assertThat(r).contains("served_at 2099-01-01 00:00:00"))
        .anySatisfy(r -> assertThat(r).contains("before min-event-time 2000-01-01T00:00:00Z"));

    // the feed moves on honestly: every window closes, with the labels it really got
    s.sendLabel(0, new Label("hb", "heartbeat", 0, T0 + 60 * MIN, null, Map.of("hb", "1")));
    var second = s.run();
    assertThat(second.watermarkMicros()).isEqualTo(T0 + 59 * MIN);
    assertThat(second.counts()).containsEntry("finalized", 10L);
    List<String> clicked =
        s.read("training_skew")
            .where("label_click = 1")
            .select("prediction_id")
            .orderBy("prediction_id")
            .as(Encoders.STRING())
            .collectAsList();
    assertThat(clicked).containsExactly("p1", "p3", "p5");
    assertThat(s.read("training_skew").where("year(served_at) <> 2025").count()).isZero();
    assertThat(s.run().counts()).containsEntry("finalized", 0L); // and joins go on
  }
}
