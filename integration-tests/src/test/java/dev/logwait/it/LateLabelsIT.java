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
 * docs/design.md, "Late labels": a label is late when it would have changed a row an earlier run
 * already finalized. Labels that merely arrive with a time below an earlier watermark, but join a
 * prediction still open (or none at all), are not late; the run reports both figures.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LateLabelsIT {
  static final FeatureSet FS = FeatureSet.builder("late", 1).addDouble("x").build();
  static final long T0 = 1_780_000_000_000_000L;
  static final long MIN = 60_000_000L;

  @Test
  void onlyLabelsThatTouchAFinalizedRowAreLatePerSpecAndModel() throws Exception {
    Scenario s =
        new Scenario(
            "late",
            1,
            1,
            "labels:\n  - {name: click, window: 10m, aggregation: exists, default: 0}\n",
            "0s");
    try (PredictionLogger logger = s.predictionLogger().build()) {
      for (int i = 0; i < 10; i++) {
        logger.log(
            logger.prediction(FS, "m", "1").predictionId("p" + i).servedAtMicros(T0 + i * MIN));
      }
      logger.log(logger.prediction(FS, "n", "1").predictionId("q0").servedAtMicros(T0));
      logger.flush(Duration.ofSeconds(60));
    }
    try (var labels = s.labelLogger()) {
      labels.log(Label.of("hb-1", "heartbeat", 0, T0 + 30 * MIN, Map.of("hb", "1")));
      labels.flush(Duration.ofSeconds(60));
    }
    var first = s.run();
    assertThat(first.watermarkMicros()).isEqualTo(T0 + 30 * MIN);
    assertThat(first.counts()).containsEntry("finalized", 11L).containsEntry("late_labels", 0L);

    s.log(FS, T0 + MIN, "r0"); // a late prediction: not finalized before this run
    try (var labels = s.labelLogger()) {
      labels.log(Label.forPrediction("p1", "click", 1, T0 + 2 * MIN)); // touches p1: late
      labels.log(Label.forPrediction("q0", "click", 1, T0 + 5 * MIN)); // touches q0 (n): late
      labels.log(Label.forPrediction("p2", "click", 1, T0 + 15 * MIN)); // past p2's window
      labels.log(Label.forPrediction("r0", "click", 1, T0 + 2 * MIN)); // r0 was still open
      labels.log(Label.of("hb-0", "heartbeat", 0, T0 + 3 * MIN, Map.of("hb", "0"))); // no spec
      labels.flush(Duration.ofSeconds(60));
    }
    var second = s.run();
    assertThat(second.counts())
        .containsEntry("late_labels", 2L)
        .containsEntry("late_labels.click.m", 1L)
        .containsEntry("late_labels.click.n", 1L)
        .containsEntry("labels_below_watermark", 4L)
        .containsEntry("orphan_labels", 1L) // the click past p2's window can never join
        .containsEntry("finalized", 1L); // r0, with its click
    assertThat(
            s.read("training_late")
                .where("prediction_id = 'r0'")
                .first()
                .<Double>getAs("label_click"))
        .isEqualTo(1.0);
    // without restatement the finalized rows keep what they had: the late clicks are counted
    assertThat(
            s.read("training_late")
                .where("prediction_id IN ('p1', 'q0')")
                .where("label_click = 0")
                .count())
        .isEqualTo(2);
    assertThat(s.run().counts()).containsEntry("late_labels", 0L);
  }
}
