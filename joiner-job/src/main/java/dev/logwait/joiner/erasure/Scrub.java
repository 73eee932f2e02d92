package dev.logwait.joiner.erasure;

import dev.logwait.joiner.table.BranchCommit;
import dev.logwait.joiner.table.ConcurrentRunException;
import dev.logwait.joiner.table.Tables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.ManageSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;

/**
 * After an erasure's deletes, what is left of the erased rows in a table's history and metadata
 * goes: every branch and tag but {@code main} (erasure wins over retention), the manifests' entries
 * of the deleted files (which keep each file's column bounds), every snapshot before the erasure,
 * the data files only they referenced, and orphan files.
 */
final class Scrub {
  /** What scrubbing one table did. */
  record Done(int refsRemoved, long expiredSnapshots, long orphanFiles) {}

  private final SparkSession spark;
  private final Tables tables;
  private final BranchCommit commits;

  Scrub(SparkSession spark, Tables tables, String runId) {
    this.spark = spark;
    this.tables = tables;
    this.commits = new BranchCommit(tables, runId);
  }

  /**
   * Removes the table's branches and tags other than {@code main} and rewrites its manifests, so
   * that the current snapshot's metadata lists only live files. Returns the snapshot that is then
   * current: every later step keeps it and expires what came before it.
   */
  long prepare(String table, List<String> removedRefs) {
    Table t = tables.iceberg(table);
    List<String> refs = new ArrayList<>();
    t.refs()
        .forEach(
            (name, ref) -> {
              if (!name.equals(SnapshotRef.MAIN_BRANCH)) {
                refs.add(name);
              }
            });
    if (!refs.isEmpty()) {
      ManageSnapshots remove = t.manageSnapshots();
      for (String name : refs) {
        if (t.refs().get(name).isBranch()) {
          remove.removeBranch(name);
        } else {
          remove.removeTag(name);
        }
      }
      remove.commit();
      removedRefs.addAll(refs);
      t.refresh();
    }
    if (t.currentSnapshot() == null) {
      return -1;
    }
    // the deletes' manifests keep entries (with column bounds) of the files they removed;
    // rewritten manifests hold live files only
    Map<String, String> state = BranchCommit.carried(tables.summary(table));
    t.rewriteManifests().rewriteIf(m -> true).commit();
    t.refresh();
    long rewritten = t.currentSnapshot().snapshotId();
    // The rewrite carries no logwait properties (readers find them in the snapshot before it,
    // which is about to be expired): the table's state goes into a snapshot of its own.
    try {
      return commits.stamp(table, rewritten, state).snapshotId();
    } catch (ConcurrentRunException e) {
      // a joiner committed after the rewrite: its snapshot carries the state
      return tables.iceberg(table).currentSnapshot().snapshotId();
    }
  }

  /**
   * Expires every snapshot before {@code keep} (and the data and metadata files only they
   * referenced), then removes orphan files older than {@code graceMillis}: files of writes that
   * never committed, which no snapshot lists.
   */
  Done finish(String table, long keep, int refsRemoved, long graceMillis) {
    Table t = tables.iceberg(table);
    long expired = 0;
    Snapshot kept = t.snapshot(keep);
    if (kept != null) {
      int before = count(t);
      t.expireSnapshots().expireOlderThan(kept.timestampMillis()).retainLast(1).commit();
      t.refresh();
      expired = before - count(t);
    }
    long orphans = 0;
    for (String ignored :
        SparkActions.get(spark)
            .deleteOrphanFiles(t)
            .olderThan(System.currentTimeMillis() - graceMillis)
            .execute()
            .orphanFileLocations()) {
      orphans++;
    }
    return new Done(refsRemoved, expired, orphans);
  }

  private static int count(Table t) {
    int n = 0;
    for (Snapshot ignored : t.snapshots()) {
      n++;
    }
    return n;
  }
}
