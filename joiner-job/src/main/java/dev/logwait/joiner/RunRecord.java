package dev.logwait.joiner;

import dev.logwait.joiner.kafka.Positions;
import dev.logwait.joiner.table.Runs;
import dev.logwait.joiner.table.Tables;
import java.util.Map;
import java.util.TreeMap;

/** Records a run in {@code runs}: what it did, or, when it failed, what it had committed. */
final class RunRecord {
  private final Tables tables;
  private final String runId;

  RunRecord(Tables tables, String runId) {
    this.tables = tables;
    this.runId = runId;
  }

  /** The run's complete offsets and the raw tables' snapshots. */
  void succeeded(JoinerJob job) {
    Map<String, Long> snapshots = new TreeMap<>();
    for (String t : new String[] {Tables.RAW_PREDICTIONS, Tables.RAW_LABELS, Tables.QUARANTINE}) {
      Long id = tables.snapshotId(t);
      if (id != null) {
        snapshots.put(t, id);
      }
    }
    Runs.record(tables, job.asRun("succeeded", job.offsets().keyed(), snapshots, null));
  }

  /**
   * The error, what the run counted, and for each table it did commit to before failing that
   * table's position and snapshot. Best effort: when even that fails, the run's own error is what
   * the caller sees (with this failure suppressed in it).
   */
  void failed(JoinerJob job, Exception error) {
    try {
      Map<String, Map<String, Long>> offsets = new TreeMap<>();
      Map<String, Long> snapshots = new TreeMap<>();
      for (String t : tables.committedBy(runId)) {
        snapshots.put(t, tables.snapshotId(t));
        Positions p = tables.currentPosition(t);
        if (!p.offsets().isEmpty()) {
          offsets.put(t, p.keyed());
        }
      }
      Runs.record(tables, job.asRun("failed", offsets, snapshots, firstLine(error)));
    } catch (RuntimeException e) {
      error.addSuppressed(e);
    }
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
