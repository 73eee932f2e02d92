package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logwait.logger.Label;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/design.md, "Late labels", restated: with {@code restate: true}, a late label rewrites
 * exactly the finalized rows it touches, once (revision 1, restated_at set), in the run's commit; a
 * second run changes nothing; a joiner killed with SIGKILL after the MERGE reached its branch,
 * before main moved, leaves the table as it was, and the rerun gives the table of an uninterrupted
 * run.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RestatementIT {
  static final FeatureSet FS = FeatureSet.builder("restate", 1).addDouble("x").build();
  static final long T0 = 1_780_000_000_000_000L;
  static final long MIN = 60_000_000L;

  @Test
  void lateLabelsRewriteExactlyTheRowsTheyTouchOnceAndSurviveAKill() throws Exception {
    Scenario s =
        new Scenario(
            "restate",
            1,
            1,
            "labels:\n"
                + "  - {name: click, window: 10m, aggregation: exists, default: 0, restate: true}\n"
                + "  - {name: spend, window: 10m, aggregation: sum}\n",
            "0s");
    Scenario killed = new Scenario(s, "k");
    try (PredictionLogger logger = s.predictionLogger().build()) {
      for (int i = 0; i < 10; i++) {
        logger.log(
            logger.prediction(FS, "m", "1").predictionId("p" + i).servedAtMicros(T0 + i * MIN));
      }
      logger.log(logger.prediction(FS, "n", "1").predictionId("q0").servedAtMicros(T0));
      logger.flush(Duration.ofSeconds(60));
    }
    try (var labels = s.labelLogger()) {
      labels.log(Label.forPrediction("p3", "click", 1, T0 + 4 * MIN)); // on time
      labels.log(Label.of("hb-1", "heartbeat", 0, T0 + 30 * MIN, Map.of("hb", "1")));
      labels.flush(Duration.ofSeconds(60));
    }
    assertThat(s.run().counts()).containsEntry("finalized", 11L).containsEntry("restated", 0L);
    assertThat(killed.run().counts()).containsEntry("finalized", 11L);
    long before = s.read("training_restate").where("label_click = 1").count();
    assertThat(before).isEqualTo(1);

    s.log(FS, T0 + MIN, "r0"); // a late prediction, still open
    try (var labels = s.labelLogger()) {
      labels.log(Label.forPrediction("p1", "click", 1, T0 + 2 * MIN)); // late: restated
      labels.log(Label.forPrediction("q0", "click", 1, T0 + 5 * MIN)); // late: restated
      labels.log(Label.forPrediction("p3", "click", 1, T0 + 6 * MIN)); // late: count 1 -> 2
      labels.log(Label.forPrediction("p2", "click", 1, T0 + 15 * MIN)); // past p2's window
      labels.log(Label.forPrediction("r0", "click", 1, T0 + 2 * MIN)); // joins r0, open
      labels.log(Label.forPrediction("p4", "spend", 7, T0 + 5 * MIN)); // late, not restated
      labels.flush(Duration.ofSeconds(60));
    }
    var second = s.run();
    assertThat(second.counts())
        .containsEntry("late_labels", 4L)
        .containsEntry("finalized", 1L)
        .containsEntry("restated", 3L)
        .containsEntry("restated_restate", 3L);
    var rows = s.rows("training_restate", "prediction_id");
    assertThat(rows).hasSize(12); // each prediction once
    for (String id : List.of("p1", "q0", "p3")) {
      assertThat(rows.get(id)).containsEntry("label_click", 1.0).containsEntry("revision", 1);
    }
    assertThat(rows.get("p3")).containsEntry("label_click_count", 2L);
    assertThat(rows.get("p4"))
        .as("spend does not restate")
        .containsEntry("revision", 0)
        .containsEntry("label_spend", null);
    assertThat(rows.get("r0")).containsEntry("label_click", 1.0).containsEntry("revision", 0);
    assertThat(rows.get("p2")).containsEntry("label_click", 0.0).containsEntry("revision", 0);
    List<Row> restatedAt =
        s.read("training_restate")
            .where("restated_at IS NOT NULL")
            .select("prediction_id")
            .collectAsList();
    assertThat(restatedAt).hasSize(3);

    var third = s.run();
    assertThat(third.counts()).containsEntry("restated", 0L).containsEntry("finalized", 0L);
    assertThat(s.rows("training_restate", "prediction_id")).isEqualTo(rows);

    // The same second run in a child JVM, killed after its MERGE reached the branch.
    JoinerProcess victim = JoinerProcess.start(killed, "writing-training_restate", "run");
    var marker = killed.dir.resolve("markers/writing-training_restate.reached");
    await()
        .atMost(Duration.ofMinutes(4))
        .until(() -> Files.exists(marker) || !victim.process.isAlive());
    assertThat(victim.process.isAlive()).as("paused:\n%s", victim.output()).isTrue();
    assertThat(Files.exists(killed.dir.resolve("markers/updating-training_restate.reached")))
        .isTrue();
    victim.kill();
    killed.spark().sql("REFRESH TABLE " + killed.table("training_restate"));
    assertThat(killed.read("training_restate").where("revision > 0").count())
        .as("main did not move")
        .isZero();
    var rerun = killed.run();
    assertThat(rerun.counts()).containsEntry("restated", 3L).containsEntry("finalized", 1L);
    TableAssert.sameTables(killed, s, "training_restate");
    assertThat(killed.run().counts()).containsEntry("restated", 0L);
  }
}
