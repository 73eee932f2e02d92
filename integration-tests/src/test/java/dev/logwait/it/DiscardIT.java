package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.cli.JoinerMain;
import dev.logwait.joiner.trainer.TrainingData;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Discard after training: rows both trainers have read are deleted from the training table and from
 * {@code raw_predictions}; rows one trainer has not read are kept and it is named; once that
 * trainer reads on, no snapshot holds the deleted rows and their files are gone. The joiner runs on
 * unaffected. The same by configuration: {@code discard-after} applied by {@code maintain} and by
 * the stream's {@code --maintain-every}.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class DiscardIT {
  @Test
  void rowsEveryTrainerReadAreDeletedAndTheirFilesRemoved() throws Exception {
    Scenario s = new Scenario("discard", 2, 2, Traffic.LABELS);
    Traffic.send(s, 600, 1);
    s.run();
    TrainingData data = new TrainingData(s.spark(), s.config);
    data.commit(data.since("finetune"), "m-1", null);
    data.commit(data.since("audit"), "a-1", null);
    Traffic.send(s, 400, 2, Traffic.T0 + 20_000 * Traffic.SEC);
    s.run();
    data.commit(data.since("finetune"), "m-2", "m-1"); // audit has not read round 2

    List<String> trainingFiles = files(s, "training_traffic");
    List<String> rawFiles = files(s, "raw_predictions");
    assertThat(trainingFiles).isNotEmpty();
    String config = s.configFile.toString();
    assertThat(JoinerMain.execute("discard", "--config", config, "--older-than", "30d")).isZero();

    assertThat(ids(s, "training_traffic", "")).hasSize(400).allMatch(id -> id.startsWith("p2-"));
    assertThat(ids(s, "raw_predictions", "")).hasSize(400).allMatch(id -> id.startsWith("p2-"));
    var recorded =
        s.spark()
            .sql(
                "SELECT counts['discarded_training_rows'], counts['kept_unread_rows'] FROM "
                    + s.table("runs")
                    + " WHERE command = 'discard'")
            .first();
    assertThat(recorded.getLong(0)).isEqualTo(600);
    assertThat(recorded.getLong(1)).isEqualTo(400);
    // raw_predictions has no reader to wait for: its old snapshots and files are gone already
    rawFiles.forEach(f -> assertThat(Files.exists(local(f))).as(f).isFalse());

    // copies of discarded predictions that arrive later (a retry, a replay, a spool after an
    // outage) stay out: dropped at ingest, counted, never delivered to a trainer again
    assertThat(
            s.spark()
                .sql(
                    "SELECT counts['tombstones_recorded'] FROM "
                        + s.table("runs")
                        + " WHERE command = 'discard'")
                .as(Encoders.LONG())
                .first())
        .isEqualTo(600);
    Traffic.send(s, 100, 1); // the first 100 predictions of round 1 again, two of them twice
    assertThat(s.run().counts())
        .containsEntry("predictions_read", 102L)
        .containsEntry("predictions_written", 0L)
        .containsEntry("predictions_dropped_discarded", 102L)
        .containsEntry("prediction_duplicates_dropped", 0L)
        .containsEntry("finalized", 0L);
    assertThat(ids(s, "training_traffic", "")).hasSize(400).noneMatch(id -> id.startsWith("p1-"));
    assertThat(ids(s, "raw_predictions", "")).hasSize(400).noneMatch(id -> id.startsWith("p1-"));
    assertThat(ids(data.since("finetune").rows())).isEmpty();

    // audit reads on; then upkeep with the discard policy deletes round 2 (now read by both)
    // and expires what held the deleted rows
    data.commit(data.since("audit"), "a-2", "a-1");
    assertThat(
            JoinerMain.execute(
                "maintain",
                "--config",
                config,
                "--set",
                "discard-after=30d",
                "--older-than",
                "0s",
                "--retain-last",
                "1",
                "--no-compaction"))
        .isZero();
    assertThat(ids(s, "training_traffic", "")).isEmpty();
    assertThat(ids(s, "raw_predictions", "")).isEmpty();
    for (Long snapshot :
        s.spark()
            .sql("SELECT snapshot_id FROM " + s.table("training_traffic") + ".snapshots")
            .as(Encoders.LONG())
            .collectAsList()) {
      assertThat(ids(s, "training_traffic", " VERSION AS OF " + snapshot))
          .as("snapshot %d", snapshot)
          .noneMatch(id -> id.startsWith("p1-"));
    }
    trainingFiles.forEach(f -> assertThat(Files.exists(local(f))).as(f).isFalse());

    // the joiner runs on: nothing new, then new traffic lands once
    assertThat(s.run().counts())
        .containsEntry("predictions_written", 0L)
        .containsEntry("finalized", 0L);
    Traffic.send(s, 300, 3, Traffic.T0 + 40_000 * Traffic.SEC);
    assertThat(s.run().counts()).containsEntry("finalized", 300L);
    TrainingData.Batch round3 = data.since("audit");
    assertThat(ids(round3.rows())).hasSize(300);

    // the policy on the stream's schedule: both trainers read round 3, one batch, then upkeep
    data.commit(round3, "a-3", "a-2");
    data.commit(data.since("finetune"), "m-3", "m-2");
    assertThat(
            JoinerMain.execute(
                "stream",
                "--config",
                config,
                "--set",
                "discard-after=30d",
                "--max-batches",
                "1",
                "--maintain-every",
                "1h"))
        .isZero();
    assertThat(ids(s, "training_traffic", "")).isEmpty();
    assertThat(ids(s, "raw_predictions", "")).isEmpty();
    assertThat(
            s.spark()
                .sql("SELECT count(*) FROM " + s.table("runs") + " WHERE command = 'discard'")
                .as(Encoders.LONG())
                .first())
        .isEqualTo(3);
  }

  private static Path local(String file) {
    return file.startsWith("file:") ? Path.of(URI.create(file)) : Path.of(file);
  }

  /** The files that hold round 1's rows now. */
  private static List<String> files(Scenario s, String table) {
    return s.spark()
        .sql("SELECT DISTINCT _file FROM " + s.table(table) + " WHERE prediction_id LIKE 'p1-%'")
        .as(Encoders.STRING())
        .collectAsList();
  }

  private static List<String> ids(Scenario s, String table, String asOf) {
    s.spark().catalog().refreshTable(s.table(table));
    return ids(s.spark().sql("SELECT prediction_id FROM " + s.table(table) + asOf));
  }

  private static List<String> ids(org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> d) {
    return d.select("prediction_id").as(Encoders.STRING()).collectAsList();
  }
}
