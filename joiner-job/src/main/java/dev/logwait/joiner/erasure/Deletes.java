package dev.logwait.joiner.erasure;

import dev.logwait.joiner.table.BranchCommit;
import dev.logwait.joiner.table.ConcurrentRunException;
import dev.logwait.joiner.table.RowUpdates;
import dev.logwait.joiner.table.TableDdl;
import dev.logwait.joiner.table.Tables;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * An erasure's deletes, one table at a time: the rows about the subjects found as the table is at
 * that moment, deleted by one branch commit (copy-on-write: the files holding them are rewritten)
 * that carries the table's logwait properties. A joiner's commit in between makes it find the rows
 * again and retry, so rows a joiner appended meanwhile go too.
 */
final class Deletes {
  /** What the deletes did to one table. */
  record Done(long rows, long filesRewritten, long bytesRewritten) {}

  private final SparkSession spark;
  private final Tables tables;
  private final Affected affected;
  private final BranchCommit commits;
  private final int attempts;
  private final Map<String, Done> done = new LinkedHashMap<>();

  Deletes(SparkSession spark, Tables tables, Affected affected, String runId, int attempts) {
    this.spark = spark;
    this.tables = tables;
    this.affected = affected;
    this.commits = new BranchCommit(tables, runId);
    this.attempts = attempts;
  }

  /**
   * Deletes the rows of {@code table} about the subjects; {@code extra} snapshot properties (a
   * backfill's moved pins) are committed with it, or alone when there is nothing to delete.
   */
  void delete(String table, Map<String, Affected.Kind> kinds, Map<String, String> extra) {
    Affected.Kind kind = kinds.get(table);
    new TableDdl(spark, tables).dropIdentifierBounds(table, identifiers(kind));
    for (int attempt = 1; ; attempt++) {
      Table t = tables.iceberg(table);
      Snapshot base = t.currentSnapshot();
      if (base == null) {
        done.put(table, new Done(0, 0, 0));
        return;
      }
      Dataset<Row> ids = RowUpdates.materialize(affected.predictions(kinds));
      Dataset<Row> victims =
          RowUpdates.materialize(
              affected.rowsOf(kind, tables.readAt(table, base.snapshotId()), ids));
      long n = victims.count();
      if (n == 0 && extra.isEmpty()) {
        done.put(table, new Done(0, 0, 0));
        return;
      }
      Map<String, String> props =
          new LinkedHashMap<>(BranchCommit.carried(tables.summaryAt(table, base.snapshotId())));
      props.putAll(extra);
      try {
        BranchCommit.Committed c =
            commits.commit(
                table,
                base.snapshotId(),
                n == 0 ? null : (branch, p) -> RowUpdates.deleteWhereIn(victims, branch, p),
                null,
                props);
        done.put(table, measure(table, base, c.snapshotId(), n));
        return;
      } catch (ConcurrentRunException e) {
        if (attempt == attempts) {
          throw e;
        }
        // a joiner committed first: find the rows again (it may have added some) and retry
      }
    }
  }

  /** Rows deleted and files rewritten between {@code base} and {@code head}. */
  private Done measure(String table, Snapshot base, long head, long rows) {
    Table t = tables.iceberg(table);
    long files = 0;
    long bytes = 0;
    for (Snapshot s = t.snapshot(head);
        s != null && s.snapshotId() != base.snapshotId();
        s = s.parentId() == null ? null : t.snapshot(s.parentId())) {
      files += number(s, SnapshotSummary.DELETED_FILES_PROP);
      bytes += number(s, SnapshotSummary.REMOVED_FILE_SIZE_PROP);
    }
    return new Done(rows, files, bytes);
  }

  private static long number(Snapshot s, String key) {
    String v = s.summary().get(key);
    return v == null ? 0 : Long.parseLong(v);
  }

  private static List<String> identifiers(Affected.Kind kind) {
    return switch (kind) {
      case PREDICTIONS -> TableDdl.PREDICTION_IDENTIFIERS;
      case LABELS -> TableDdl.LABEL_IDENTIFIERS;
      case MESSAGES -> TableDdl.MESSAGE_IDENTIFIERS;
    };
  }

  /** Rows deleted, by table. */
  Map<String, Long> rows() {
    Map<String, Long> out = new LinkedHashMap<>();
    done.forEach((t, d) -> out.put(t, d.rows()));
    return out;
  }

  Map<String, Done> byTable() {
    return done;
  }

  long filesRewritten() {
    return done.values().stream().mapToLong(Done::filesRewritten).sum();
  }

  long bytesRewritten() {
    return done.values().stream().mapToLong(Done::bytesRewritten).sum();
  }
}
