package dev.logwait.joiner.upkeep;

import dev.logwait.joiner.join.BackfillPins;
import dev.logwait.joiner.table.Tables;
import dev.logwait.joiner.trainer.Cursor;
import dev.logwait.joiner.trainer.TrainingData;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code joiner maintain}: for every table of the namespace, Iceberg's {@code rewrite_data_files}
 * (small files into larger ones) then {@code expire_snapshots} older than a retention, keeping the
 * last few and every snapshot a trainer's cursor or a backfill's state names (and all later ones).
 * Data files that no retained snapshot references are removed by the expiry.
 *
 * @param olderThan snapshots older than this may be expired
 * @param retainLast at least this many snapshots stay in each table
 */
public record Maintenance(Duration olderThan, int retainLast, boolean compact) {
  /** What one table's upkeep did. */
  public record Done(
      String table,
      long rewrittenFiles,
      long addedFiles,
      long expiredSnapshots,
      long deletedDataFiles,
      String keptFrom) {}

  public List<Done> run(SparkSession spark, Tables tables, TrainingData cursors, PrintStream out) {
    return run(spark, tables, cursors, out, tables.names());
  }

  /** As {@link #run(SparkSession, Tables, TrainingData, PrintStream)} on some tables. */
  public List<Done> run(
      SparkSession spark, Tables tables, TrainingData cursors, PrintStream out, List<String> only) {
    Map<String, Long> protect = protectedSnapshots(tables, cursors);
    List<Done> done = new java.util.ArrayList<>();
    for (String table : only) {
      long started = System.nanoTime();
      long rewritten = 0;
      long added = 0;
      if (compact) {
        Row r =
            spark
                .sql(
                    "CALL "
                        + catalog(tables)
                        + ".system.rewrite_data_files(table => '"
                        + tables.name(table)
                        + "', options => map('min-input-files', '2'))")
                .first();
        rewritten = r.getInt(0);
        added = r.getInt(1);
      }
      Table t = tables.iceberg(table);
      long before = snapshots(t);
      Instant cutoff = Instant.now().minus(olderThan);
      String keptFrom = null;
      Long pinned = protect.get(table);
      if (pinned != null) {
        Snapshot s = t.snapshot(pinned);
        if (s != null && Instant.ofEpochMilli(s.timestampMillis()).isBefore(cutoff)) {
          cutoff = Instant.ofEpochMilli(s.timestampMillis());
          keptFrom = "snapshot " + pinned;
        }
      }
      Row e =
          spark
              .sql(
                  "CALL "
                      + catalog(tables)
                      + ".system.expire_snapshots(table => '"
                      + tables.name(table)
                      + "', older_than => TIMESTAMP '"
                      + Timestamp.from(cutoff)
                      + "', retain_last => "
                      + retainLast
                      + ")")
              .first();
      long deletedData = e.getLong(0);
      t.refresh();
      long expired = before - snapshots(t);
      Done d = new Done(table, rewritten, added, expired, deletedData, keptFrom);
      out.printf(
          "  %-28s %,d files rewritten into %,d; %,d snapshots expired, %,d data files removed%s"
              + " (%.1f s)%n",
          table,
          rewritten,
          added,
          expired,
          deletedData,
          keptFrom == null ? "" : "; kept from " + keptFrom + " (still read from)",
          (System.nanoTime() - started) / 1e9);
      done.add(d);
    }
    return done;
  }

  /**
   * Per table, the oldest snapshot something still reads from: the snapshot whose properties hold
   * the table's position and join state (the current one, or the one before a compaction's
   * rewrites: {@link Tables#logical}), each trainer's cursor on a training table, and the raw
   * snapshots a backfill target's state pins.
   */
  static Map<String, Long> protectedSnapshots(Tables tables, TrainingData cursors) {
    Map<String, Long> oldest = new HashMap<>();
    Map<String, Long> millis = new LinkedHashMap<>();
    for (String table : tables.names()) {
      Table t = tables.iceberg(table);
      if (t.currentSnapshot() != null) {
        keepOldest(
            tables, oldest, millis, table, Tables.logical(t, t.currentSnapshot()).snapshotId());
      }
    }
    for (Cursor c : cursors.current()) {
      keepOldest(tables, oldest, millis, c.table(), c.snapshotId());
    }
    for (String table : tables.names()) {
      BackfillPins.of(tables.summary(table))
          .forEach((raw, snapshot) -> keepOldest(tables, oldest, millis, raw, snapshot));
    }
    return oldest;
  }

  private static void keepOldest(
      Tables tables, Map<String, Long> oldest, Map<String, Long> millis, String table, long id) {
    Snapshot s = tables.iceberg(table).snapshot(id);
    if (s == null) {
      return; // already gone
    }
    if (!millis.containsKey(table) || s.timestampMillis() < millis.get(table)) {
      millis.put(table, s.timestampMillis());
      oldest.put(table, id);
    }
  }

  private static long snapshots(Table t) {
    long n = 0;
    for (Snapshot ignored : t.snapshots()) {
      n++;
    }
    return n;
  }

  private static String catalog(Tables tables) {
    return tables.namespace().substring(0, tables.namespace().indexOf('.'));
  }
}
