package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.joiner.cli.JoinerMain;
import dev.logwait.joiner.trainer.CommitRefusedException;
import dev.logwait.joiner.trainer.Cursor;
import dev.logwait.joiner.trainer.TrainingData;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Trainer cursors on real tables: each trainer reads every row once, a trainer that does not commit
 * reads the same rows again, two trainers are independent, the lineage is recorded; then {@code
 * maintain} compacts and expires every table without losing a cursor's snapshot or a Kafka
 * position, and a compaction's rewrite delivers no row again.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class CursorIT {
  @Test
  void trainersReadEachRowOnceAndMaintenanceKeepsWhatTheyNeed() {
    Scenario s = new Scenario("cursor", 2, 2, Traffic.LABELS);
    Traffic.send(s, 1200, 1);
    s.run();
    TrainingData data = new TrainingData(s.spark(), s.config);

    TrainingData.Batch a1 = data.since("finetune");
    assertThat(a1.fromSnapshotExclusive()).isNull();
    assertThat(ids(a1)).hasSize(1200);
    assertThat(a1.finalThrough()).isNotNull();
    Cursor c1 = data.commit(a1, "m-1", null);
    assertThat(c1.rows()).isEqualTo(1200);

    TrainingData.Batch b1 = data.since("audit");
    assertThat(ids(b1)).hasSize(1200); // independent of the other trainer
    // audit crashes before its commit: it reads the same rows again
    assertThat(data.since("audit").toSnapshot()).isEqualTo(b1.toSnapshot());
    assertThat(ids(data.since("audit"))).containsExactlyInAnyOrderElementsOf(ids(b1));

    assertThat(data.since("finetune").empty()).isTrue();
    assertThat(data.since("finetune").rows().count()).isZero();

    Traffic.send(s, 800, 2, Traffic.T0 + 20_000 * Traffic.SEC);
    long finalized = s.run().counts().get("finalized");
    assertThat(finalized).isEqualTo(800);
    TrainingData.Batch a2 = data.since("finetune");
    List<String> second = ids(a2);
    assertThat(second).hasSize(800).allMatch(id -> id.startsWith("p2-"));
    assertThat(a2.finalThrough()).isAfter(a1.finalThrough());
    Cursor c2 = data.commit(a2, "m-2", "m-1");
    assertThatThrownBy(() -> data.commit(a1, "stale", "m-1")) // behind the cursor now
        .isInstanceOf(CommitRefusedException.class)
        .hasMessageContaining("is at snapshot " + c2.snapshotId());

    List<Cursor> lineage = data.history();
    assertThat(lineage)
        .extracting(Cursor::modelVersion, Cursor::baseModel, Cursor::rows)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("m-1", null, 1200L),
            org.assertj.core.groups.Tuple.tuple("m-2", "m-1", 800L));

    // upkeep: compaction and expiry of everything older than now, keeping one snapshot per table
    int exit =
        JoinerMain.execute(
            "maintain",
            "--config",
            s.configFile.toString(),
            "--older-than",
            "0s",
            "--retain-last",
            "1");
    assertThat(exit).isZero();
    // the cursors' snapshots survive: finetune reads nothing new (the rewrite adds no row), and
    // audit, which never committed, still reads the whole table
    assertThat(data.since("finetune").rows().count()).isZero();
    assertThat(ids(data.since("audit"))).hasSize(2000);
    assertThat(s.spark().sql("SELECT * FROM " + s.table("training_traffic") + ".snapshots").count())
        .isGreaterThanOrEqualTo(1);
    // positions survive compaction: a run finds nothing new, the next traffic lands once
    var again = s.run();
    assertThat(again.counts())
        .containsEntry("predictions_written", 0L)
        .containsEntry("labels_written", 0L)
        .containsEntry("finalized", 0L);
    Traffic.send(s, 300, 3, Traffic.T0 + 40_000 * Traffic.SEC);
    assertThat(s.run().counts()).containsEntry("finalized", 300L);
    assertThat(s.read("training_traffic").count()).isEqualTo(2300);
    assertThat(ids(data.since("finetune"))).hasSize(300).allMatch(id -> id.startsWith("p3-"));
    assertThat(c2.snapshotId()).isNotNull();
  }

  /**
   * Two instances of one trainer: the second commits part of the batch the first read, so the
   * first's commit of its whole batch (and a repeat of a commit) is refused, naming the snapshots,
   * and the lineage records only batches that were read.
   */
  @Test
  void aCommitIsRefusedWhenTheCursorMovedSinceTheBatchWasRead() {
    Scenario s = new Scenario("stalecursor", 1, 1, Traffic.LABELS);
    Traffic.send(s, 300, 1);
    s.run();
    TrainingData data = TrainingData.open(s.spark(), s.config.table("").replaceAll("\\.$", ""));
    Cursor mid = data.commit(data.since("t3"), "m-1", null);
    Traffic.send(s, 200, 2, Traffic.T0 + 20_000 * Traffic.SEC);
    s.run();
    long between = data.since("probe").toSnapshot();
    Traffic.send(s, 100, 3, Traffic.T0 + 40_000 * Traffic.SEC);
    s.run();

    TrainingData.Batch batch = data.since("t3"); // read by the first instance: MID -> HEAD
    assertThat(batch.fromSnapshotExclusive()).isEqualTo(mid.snapshotId());
    assertThat(ids(batch)).hasSize(300);
    // the second instance reads and commits MID -> S
    Cursor other = data.commit("t3", "traffic", mid.snapshotId(), between, "m-2b", "m-1");
    assertThat(other.rows()).isEqualTo(200);

    assertThatThrownBy(() -> data.commit(batch, "m-2", "m-1"))
        .isInstanceOf(CommitRefusedException.class)
        .hasMessageContaining("after " + mid.snapshotId() + " through " + batch.toSnapshot())
        .hasMessageContaining("is at snapshot " + between)
        .hasMessageContaining("m-2b");
    // the second instance goes on; the same batch committed again is refused too
    TrainingData.Batch rest = data.since("t3");
    Cursor last = data.commit(rest, "m-3", "m-2b");
    assertThat(last.rows()).isEqualTo(100);
    assertThatThrownBy(() -> data.commit(rest, "m-3", "m-2b"))
        .isInstanceOf(CommitRefusedException.class)
        .hasMessageContaining("the batch was committed already");
    // from the command line: refused because of state, exit 1
    assertThat(
            JoinerMain.execute(
                "cursor",
                "commit",
                "--config",
                s.configFile.toString(),
                "--trainer",
                "t3",
                "--after",
                String.valueOf(mid.snapshotId()),
                "--snapshot",
                String.valueOf(batch.toSnapshot()),
                "--model-version",
                "m-2"))
        .isEqualTo(1);

    List<Cursor> t3 = data.history().stream().filter(c -> c.trainer().equals("t3")).toList();
    assertThat(t3)
        .extracting(Cursor::modelVersion, Cursor::afterSnapshot, Cursor::snapshotId, Cursor::rows)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("m-1", null, mid.snapshotId(), 300L),
            org.assertj.core.groups.Tuple.tuple("m-2b", mid.snapshotId(), between, 200L),
            org.assertj.core.groups.Tuple.tuple("m-3", between, rest.toSnapshot(), 100L));
  }

  private static List<String> ids(TrainingData.Batch b) {
    return b.rows().select("prediction_id").as(Encoders.STRING()).collectAsList();
  }
}
