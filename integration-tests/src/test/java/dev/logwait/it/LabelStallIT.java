package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.logger.Label;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 7: one label partition stops receiving events. No window whose end lies beyond that
 * partition's progress is finalized; when the feed resumes, the rows are written with the right
 * labels (no false negatives in between).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LabelStallIT {
  static final FeatureSet FS = FeatureSet.builder("stall", 1).addDouble("x").build();
  static final long T0 = 1_780_000_000_000_000L;
  static final long MIN = 60_000_000L;

  @Test
  void aStalledPartitionHoldsWindowsOpenUntilItResumes() throws Exception {
    Scenario s =
        new Scenario(
            "stall",
            1,
            2,
            "labels:\n  - {name: click, window: 10m, aggregation: exists, default: 0}\n",
            "0s");
    try (PredictionLogger logger = s.predictionLogger().build()) {
      for (int i = 0; i < 60; i++) { // one prediction a minute for an hour
        logger.log(
            logger.prediction(FS, "m", "1").predictionId("p" + i).servedAtMicros(T0 + i * MIN));
      }
      logger.flush(Duration.ofSeconds(60));
    }
    // partition 0 carries clicks up to T0+60m; partition 1 stalls after T0+20m
    sendLabel(s, 0, "c-late-0", "p35", T0 + 36 * MIN); // a click on p35, through partition 0
    sendLabel(s, 0, "hb-0", null, T0 + 60 * MIN);
    sendLabel(s, 1, "hb-1", null, T0 + 20 * MIN);

    // a click naming a prediction nobody served, and one for p0 long after its window: orphans
    sendLabel(s, 0, "c-nobody", "nobody", T0 + 30 * MIN);
    sendLabel(s, 0, "c-stale", "p0", T0 + 59 * MIN);

    var first = s.run();
    assertThat(first.counts()).containsEntry("orphan_labels", 2L);
    assertThat(first.watermarkMicros()).isEqualTo(T0 + 20 * MIN);
    // finalized: served_at + 10m <= T0+20m, i.e. p0..p10
    assertThat(first.counts()).containsEntry("finalized", 11L);
    assertThat(
            s.read("training_stall")
                .where("served_at > timestamp_micros(" + (T0 + 10 * MIN) + ")")
                .count())
        .isZero();

    // partition 1 resumes with a click for p15 (its window was still open) and moves on
    sendLabel(s, 1, "c-15", "p15", T0 + 22 * MIN);
    sendLabel(s, 1, "hb-1b", null, T0 + 70 * MIN);
    // and a late prediction, served long before the first run's cutoff, arrives only now: the
    // second run reads it from memory (with the rest of its batch), not from the table
    s.log(FS, T0 + 2 * MIN, "late-1");
    sendLabel(s, 0, "c-late-1", "late-1", T0 + 3 * MIN);
    var second = s.run();
    assertThat(second.watermarkMicros()).isEqualTo(T0 + 60 * MIN);
    assertThat(second.counts()).containsEntry("finalized", 41L); // p11..p50 and late-1
    assertThat(label(s, "p15")).isEqualTo(1.0);
    assertThat(label(s, "p35")).isEqualTo(1.0);
    assertThat(label(s, "p16")).isEqualTo(0.0);
    assertThat(label(s, "late-1")).isEqualTo(1.0);
    assertThat(s.read("training_stall").count()).isEqualTo(52);

    // ingest and join as two commands: the join reads the table, and finds the late prediction
    // past the position its last join had read, though it was served long before that cutoff
    s.log(FS, T0 + 4 * MIN, "late-2");
    assertThat(s.ingest().counts()).containsEntry("predictions_written", 1L);
    assertThat(s.join().counts()).containsEntry("finalized", 1L);
    assertThat(label(s, "late-2")).isEqualTo(0.0);
    assertThat(s.join().counts()).containsEntry("finalized", 0L);
    assertThat(s.read("training_stall").count()).isEqualTo(53);
    assertThat(s.read("training_stall").select("prediction_id").distinct().count()).isEqualTo(53);
  }

  private static double label(Scenario s, String id) {
    return s.read("training_stall")
        .where("prediction_id = '" + id + "'")
        .first()
        .getAs("label_click");
  }

  /** Sends a click (or, without a prediction id, a heartbeat) to a chosen partition. */
  private static void sendLabel(Scenario s, int partition, String eventId, String pid, long at) {
    s.sendLabel(
        partition,
        pid == null
            ? Label.of(eventId, "heartbeat", 0, at, Map.of("hb", eventId))
            : new Label(eventId, "click", 1, at, pid, Map.of()));
  }
}
