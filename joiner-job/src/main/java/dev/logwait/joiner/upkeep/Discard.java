package dev.logwait.joiner.upkeep;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.table.BranchCommit;
import dev.logwait.joiner.table.RowUpdates;
import dev.logwait.joiner.table.Runs;
import dev.logwait.joiner.table.Tables;
import dev.logwait.joiner.table.Tombstones;
import dev.logwait.joiner.trainer.Cursor;
import dev.logwait.joiner.trainer.CursorMoves;
import dev.logwait.joiner.trainer.TrainingData;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code joiner discard}: training rows that every trainer with a cursor on the table has consumed
 * and that were served longer ago than a retention are deleted, with their {@code raw_predictions}
 * rows; then the snapshots before the deletion are expired and their files removed, so the data is
 * physically gone. Rows some trainer has not read are kept, and the trainer is named. Each delete
 * is one branch commit carrying the table's logwait properties, so a run beside it is retried,
 * never confused. Recorded in {@code runs}.
 *
 * <p>Consumed means: in the training table as of the oldest cursor snapshot (every trainer has read
 * everything up to its own cursor). A trainer whose cursor was at the table's head is moved to the
 * deletion's snapshot; a trainer behind it keeps its snapshot, which keeps the old files until it
 * reads on (the output says so).
 */
public final class Discard {
  /** What a discard did. */
  public record Done(
      String table,
      long deletedTraining,
      long deletedRaw,
      long keptOld,
      List<String> holdingBack,
      long expiredSnapshots) {}

  private Discard() {}

  public static Done run(
      SparkSession spark,
      JoinerConfig config,
      String tableArg,
      Duration olderThan,
      PrintStream out) {
    Tables tables = new Tables(spark, config);
    TrainingData data = new TrainingData(spark, config);
    String table = data.training(tableArg);
    List<Cursor> cursors = data.current().stream().filter(c -> c.table().equals(table)).toList();
    if (cursors.isEmpty()) {
      throw new ConfigException(
          "no trainer has a cursor on "
              + table
              + ": nothing is known to be consumed, so nothing is discarded"
              + " (trainers commit cursors with 'cursor commit' or TrainingData.commit)");
    }
    String runId = Instant.now() + "-" + UUID.randomUUID().toString().substring(0, 8);
    long started = System.currentTimeMillis();
    Table t = tables.iceberg(table);
    long head = t.currentSnapshot().snapshotId();
    Cursor oldest = cursors.get(0);
    for (Cursor c : cursors) {
      if (t.snapshot(c.snapshotId()) != null
          && t.snapshot(c.snapshotId()).timestampMillis()
              < t.snapshot(oldest.snapshotId()).timestampMillis()) {
        oldest = c;
      }
    }
    long consumedAt = oldest.snapshotId();
    Timestamp cutoff = Timestamp.from(Instant.now().minus(olderThan));
    Dataset<Row> consumed =
        RowUpdates.materialize(
            spark
                .read()
                .option("versionAsOf", String.valueOf(consumedAt))
                .table(tables.name(table))
                .filter(col("served_at").lt(lit(cutoff)))
                .select("prediction_id", "served_at"));
    long old = spark.table(tables.name(table)).filter(col("served_at").lt(lit(cutoff))).count();
    long deleting = consumed.count();
    List<String> behind =
        cursors.stream()
            .filter(c -> c.snapshotId() != head)
            .map(c -> c.trainer() + " (at snapshot " + c.snapshotId() + ")")
            .toList();
    out.printf(
        "discard from %s: %,d rows served before %s, %,d of them read by every trainer (%s)%n",
        table,
        old,
        cutoff.toInstant(),
        deleting,
        String.join(", ", cursors.stream().map(Cursor::trainer).toList()));
    long deletedTraining = 0;
    long deletedRaw = 0;
    long tombstones = 0;
    if (deleting > 0) {
      // recorded first: a copy arriving later (a retry, a replay, a spool) must not bring them
      // back, even if this discard dies before its deletes
      tombstones =
          new Tombstones(spark, tables).recordPredictions(consumed, Tombstones.DISCARDED, runId);
      deletedRaw = delete(tables, runId, Tables.RAW_PREDICTIONS, consumed, cutoff);
      deletedTraining = delete(tables, runId, table, consumed, cutoff);
    }
    if (old > deleting) {
      out.printf(
          "  kept %,d old rows that not every trainer has read; behind: %s%n",
          old - deleting, String.join(", ", behind));
    }
    // trainers that had read everything move past the deletion; the others keep their snapshot
    t.refresh();
    long after = t.currentSnapshot().snapshotId();
    CursorMoves moves = new CursorMoves(spark, config);
    for (Cursor c : cursors) {
      if (c.snapshotId() == head && after != head) {
        moves.movePastDeletion(c, after);
      }
    }
    long expired = 0;
    for (Maintenance.Done d :
        new Maintenance(Duration.ZERO, 1, false)
            .run(spark, tables, data, out, List.of(Tables.RAW_PREDICTIONS, table))) {
      expired += d.expiredSnapshots();
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("discarded_training_rows", deletedTraining);
    counts.put("discarded_raw_predictions", deletedRaw);
    counts.put("kept_unread_rows", old - deleting);
    counts.put("tombstones_recorded", tombstones);
    counts.put("expired_snapshots", expired);
    Runs.record(
        tables,
        new Runs.Run(
            runId,
            "discard",
            started,
            "succeeded",
            config.hash(),
            Map.of(),
            Map.of(table, after),
            counts,
            null,
            Map.of(),
            Map.of(),
            null));
    out.printf(
        "  deleted %,d training rows and %,d raw predictions; %,d snapshots expired%s%n",
        deletedTraining,
        deletedRaw,
        expired,
        behind.isEmpty()
            ? ": the deleted rows' files are gone"
            : "; files still referenced by the snapshots of " + behind + " go when they read on");
    return new Done(table, deletedTraining, deletedRaw, old - deleting, behind, expired);
  }

  /** One branch commit: the rows of {@code ids} served before {@code cutoff} deleted. */
  private static long delete(
      Tables tables, String runId, String table, Dataset<Row> ids, Timestamp cutoff) {
    Table t = tables.iceberg(table);
    Snapshot base = t.currentSnapshot();
    long before = count(tables, table);
    Map<String, String> carried = BranchCommit.carried(tables.summaryAt(table, base.snapshotId()));
    new BranchCommit(tables, runId)
        .commit(
            table,
            base.snapshotId(),
            (branchTable, props) -> deleteOnBranch(ids, branchTable, cutoff, props),
            null,
            carried);
    return before - count(tables, table);
  }

  /**
   * {@code DELETE … WHERE served_at < cutoff AND prediction_id IN (ids)} on a branch, its snapshot
   * carrying {@code props} (a DELETE rather than a MERGE: {@code raw_predictions} accepts any
   * schema on write, which a MERGE's column resolution does not take).
   */
  private static void deleteOnBranch(
      Dataset<Row> ids, String branchTable, Timestamp cutoff, Map<String, String> props) {
    String view = "logwait_discard_" + UUID.randomUUID().toString().replace("-", "");
    ids.createOrReplaceTempView(view);
    try {
      CommitMetadata.withCommitProperties(
          props,
          () ->
              ids.sparkSession()
                  .sql(
                      "DELETE FROM "
                          + branchTable
                          + " WHERE served_at < TIMESTAMP '"
                          + cutoff
                          + "' AND prediction_id IN (SELECT prediction_id FROM "
                          + view
                          + ")"),
          RuntimeException.class);
    } finally {
      ids.sparkSession().catalog().dropTempView(view);
    }
  }

  private static long count(Tables tables, String table) {
    String total = tables.iceberg(table).currentSnapshot().summary().get("total-records");
    return total == null ? 0 : Long.parseLong(total);
  }
}
