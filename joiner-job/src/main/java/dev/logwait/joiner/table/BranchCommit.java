package dev.logwait.joiner.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.ManageSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How a run commits to a table, exactly once: the rows (or, without rows, only the snapshot
 * properties) are written to a branch created at the snapshot the run read its position from, and
 * {@code main} is fast-forwarded to that branch in one metadata commit that also removes it.
 * Iceberg refuses the fast-forward when another run committed in between; then nothing of this run
 * is committed and {@link ConcurrentRunException} says so. Branches that runs which died mid-commit
 * left behind are removed a day later. Every snapshot carries the run's id. A commit may also
 * rewrite rows on the branch first ({@link BranchUpdate}); they land in the same fast-forward.
 */
public final class BranchCommit {
  /** Snapshot property: the run that committed the snapshot. */
  private static final String RUN_ID = "logwait.run-id";

  /** Prefix of the branches a run commits through; the creation time (millis) follows it. */
  static final String BRANCH_PREFIX = "logwait_";

  private static final Pattern RUN_BRANCH = Pattern.compile(BRANCH_PREFIX + "(\\d{13})_\\w+");

  /** A run's branch older than this was left by a run that died; it is removed. */
  static final long STALE_BRANCH_MILLIS = java.time.Duration.ofDays(1).toMillis();

  private final Tables tables;
  private final String runId;

  /** What a commit added: rows, and the snapshot that is now the table's main. */
  public record Committed(long rows, long snapshotId) {}

  /**
   * A row-level change (e.g. a MERGE) made on the run's branch before its rows are appended, so
   * that both reach {@code main} in the same fast-forward, or neither does.
   */
  @FunctionalInterface
  public interface BranchUpdate {
    /**
     * @param branchTable the table's branch as Spark SQL names it ({@code <table>.branch_<name>})
     * @param snapshotProperties what the update's snapshot must carry (the run's id included)
     */
    void apply(String branchTable, Map<String, String> snapshotProperties);
  }

  public BranchCommit(Tables tables, String runId) {
    this.tables = tables;
    this.runId = runId;
  }

  /**
   * The logwait properties of a snapshot's summary (positions, join state, a backfill's state),
   * without the run's id: what a commit that only deletes rows (discard, forget) carries forward so
   * that the table's state reads the same after it.
   */
  public static Map<String, String> carried(Map<String, String> summary) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    summary.forEach(
        (k, v) -> {
          if (k.startsWith("logwait.") && !k.equals(RUN_ID)) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** The run that committed a table's snapshot, from its summary (null if not logwait's). */
  static String runOf(Map<String, String> summary) {
    return summary.get(RUN_ID);
  }

  /**
   * Commits {@code rows} (or, when null, only {@code properties}) to {@code table}, only if no
   * other commit reached it since {@code baseSnapshotId}. Without rows, when the base snapshot
   * already holds the properties, nothing is committed (stale branches are still removed).
   *
   * @throws ConcurrentRunException when another run committed first; nothing was committed here
   * @throws TableWriteException when the write failed otherwise; nothing was committed here
   */
  public Committed commit(
      String table, long baseSnapshotId, Dataset<Row> rows, Map<String, String> properties) {
    return commit(table, baseSnapshotId, null, rows, properties);
  }

  /**
   * As {@link #commit(String, long, Dataset, Map)}, with a row-level {@code update} (or null) made
   * on the branch first.
   */
  public Committed commit(
      String table,
      long baseSnapshotId,
      BranchUpdate update,
      Dataset<Row> rows,
      Map<String, String> properties) {
    if (update == null && rows == null) {
      Table t = tables.iceberg(table);
      if (holds(Tables.logical(t, t.snapshot(baseSnapshotId)), properties)) {
        // nothing to add: the snapshot already says it (an empty run adds no snapshot)
        removeStaleBranches(t, System.currentTimeMillis());
        return new Committed(0, baseSnapshotId);
      }
    }
    CrashPoints.reached("before-commit-" + table);
    Committed done;
    try {
      done = throughBranch(table, baseSnapshotId, update, rows, properties);
    } catch (ConcurrentRunException e) {
      throw e;
    } catch (Exception e) { // SparkException is checked, though Scala code throws it undeclared
      // Another writer's commit raced one of ours (branch creation, schema merge, fast-forward)
      // and Iceberg gave up retrying: main did not move for this run, so the run may start again.
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof CommitFailedException) {
          throw new ConcurrentRunException(
              "Another logwait run committed to "
                  + tables.name(table)
                  + " at the same time ("
                  + c.getMessage()
                  + "); this run's rows for it were not committed.",
              e);
        }
      }
      throw new TableWriteException(tables.name(table), e);
    }
    CrashPoints.reached("after-commit-" + table);
    return done;
  }

  /**
   * Commits a snapshot that holds only {@code properties} on top of {@code baseSnapshotId}, even
   * when the base's logical snapshot says the same (after a rewrite, so that the state is kept in a
   * snapshot of its own once the ones before are expired).
   *
   * @throws ConcurrentRunException when another commit reached the table since the base
   */
  public Committed stamp(String table, long baseSnapshotId, Map<String, String> properties) {
    try {
      return throughBranch(table, baseSnapshotId, null, null, properties);
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new TableWriteException(tables.name(table), e);
    }
  }

  private Committed throughBranch(
      String table,
      long base,
      BranchUpdate update,
      Dataset<Row> rows,
      Map<String, String> properties)
      throws org.apache.spark.sql.catalyst.analysis.NoSuchTableException {
    long started = System.nanoTime();
    Table t = tables.iceberg(table);
    removeStaleBranches(t, System.currentTimeMillis());
    if (t.snapshot(base) == null) {
      // expired since the run read it (an erasure scrubs every earlier snapshot): read again
      throw new ConcurrentRunException(
          "Snapshot "
              + base
              + " of "
              + tables.name(table)
              + " that this run read was expired meanwhile; this run's rows for it were not"
              + " committed.",
          null);
    }
    String branch =
        BRANCH_PREFIX
            + System.currentTimeMillis()
            + "_"
            + UUID.randomUUID().toString().substring(0, 8);
    t.manageSnapshots().createBranch(branch, base).commit();
    boolean removed = false;
    try {
      write(table, branch, t, update, rows, properties);
      t.refresh();
      long head = t.refs().get(branch).snapshotId();
      fastForward(t, table, branch, base);
      removed = true;
      t.refresh();
      String added = t.snapshot(head).summary().get(SnapshotSummary.ADDED_RECORDS_PROP);
      long n = added == null ? 0 : Long.parseLong(added);
      Progress.done(started, "committed {} rows to {}", n, tables.name(table));
      return new Committed(n, head);
    } finally {
      if (!removed) {
        try {
          tables.iceberg(table).manageSnapshots().removeBranch(branch).commit();
        } catch (RuntimeException e) {
          // A stale branch costs only a reference; a later run removes it.
        }
      }
    }
  }

  private void write(
      String table,
      String branch,
      Table t,
      BranchUpdate update,
      Dataset<Row> rows,
      Map<String, String> properties)
      throws org.apache.spark.sql.catalyst.analysis.NoSuchTableException {
    Map<String, String> all = new java.util.LinkedHashMap<>(properties);
    all.put(RUN_ID, runId);
    if (update != null) {
      CrashPoints.reached("updating-" + table);
      update.apply(tables.name(table) + ".branch_" + branch, all);
      t.refresh();
    }
    if (rows == null) {
      org.apache.iceberg.AppendFiles append = t.newAppend().toBranch(branch);
      all.forEach(append::set);
      append.commit();
      return;
    }
    CrashPoints.reached("writing-" + table);
    new TableDdl(rows.sparkSession(), tables).addMissingColumns(table, rows.schema());
    var w =
        Alignment.alignTo(tables.schema(table), rows)
            .writeTo(tables.name(table) + ".branch_" + branch)
            .option("merge-schema", "true")
            .option("distribution-mode", "none")
            .option("fanout-enabled", "true");
    for (Map.Entry<String, String> e : all.entrySet()) {
      w = w.option("snapshot-property." + e.getKey(), e.getValue());
    }
    w.append();
  }

  /** One metadata commit: main moves to the branch's head, and the branch is gone. */
  private void fastForward(Table t, String table, String branch, long base) {
    try {
      t.manageSnapshots()
          .fastForwardBranch(SnapshotRef.MAIN_BRANCH, branch)
          .removeBranch(branch)
          .commit();
    } catch (IllegalArgumentException | ValidationException | CommitFailedException e) {
      // Iceberg refuses the fast-forward when main is no longer the branch's ancestor.
      t.refresh();
      Snapshot main = t.currentSnapshot();
      if (main == null || main.snapshotId() == base) {
        throw e;
      }
      throw new ConcurrentRunException(
          "Another logwait run committed to "
              + tables.name(table)
              + " after this run read it at snapshot "
              + base
              + " (now "
              + main.snapshotId()
              + "); this run's rows for it were not committed.",
          e);
    }
  }

  /** Whether a snapshot's summary already holds each of {@code properties} with its value. */
  private static boolean holds(Snapshot s, Map<String, String> properties) {
    return s != null
        && properties.entrySet().stream()
            .allMatch(e -> e.getValue().equals(s.summary().get(e.getKey())));
  }

  /**
   * Removes branches that runs which died mid-commit left behind (named {@code
   * logwait_<millis>_<id>}, older than a day). Returns how many.
   */
  static int removeStaleBranches(Table t, long nowMillis) {
    List<String> stale = new ArrayList<>();
    for (String name : t.refs().keySet()) {
      Matcher m = RUN_BRANCH.matcher(name);
      if (m.matches() && Long.parseLong(m.group(1)) < nowMillis - STALE_BRANCH_MILLIS) {
        stale.add(name);
      }
    }
    if (stale.isEmpty()) {
      return 0;
    }
    try {
      ManageSnapshots remove = t.manageSnapshots();
      stale.forEach(remove::removeBranch);
      remove.commit();
      Progress.info("removed {} stale branches of {}: {}", stale.size(), t.name(), stale);
      return stale.size();
    } catch (RuntimeException e) {
      // The one failure expected here: another run removed them first. Anything else (the
      // catalog refusing the commit for another reason, an I/O error) is not hidden.
      t.refresh();
      if (stale.stream().noneMatch(t.refs()::containsKey)) {
        return 0;
      }
      throw e;
    }
  }
}
