package dev.logwait.joiner.join;

import dev.logwait.joiner.table.Tables;
import java.util.LinkedHashMap;
import java.util.Map;

/** The raw tables' snapshots that a backfill target's state pins (snapshot expiry keeps them). */
public final class BackfillPins {
  private BackfillPins() {}

  /**
   * From a table's current summary: {@code raw table -> snapshot id}; empty when not a backfill.
   */
  public static Map<String, Long> of(Map<String, String> summary) {
    String json = summary.get(Backfill.STATE);
    if (json == null) {
      return Map.of();
    }
    BackfillState s = BackfillState.of(json);
    Map<String, Long> out = new LinkedHashMap<>();
    out.put(Tables.RAW_PREDICTIONS, s.rawPredictions());
    out.put(Tables.RAW_LABELS, s.rawLabels());
    return out;
  }

  /**
   * A backfill state ({@link Backfill#STATE}'s JSON) whose pins an erasure moves to the raw tables'
   * snapshots after it ({@code predictions}, {@code labels}): the snapshots first pinned are
   * expired, and the backfill goes on reading the rows they held (those ingested by their time),
   * without the erased ones. Null when the summary holds no backfill state or a finished one.
   *
   * @param pinnedMillis the commit time of the raw_predictions snapshot first pinned
   */
  public static String repinned(
      Map<String, String> summary, long predictions, long labels, long pinnedMillis) {
    String json = summary.get(Backfill.STATE);
    if (json == null) {
      return null;
    }
    BackfillState s = BackfillState.of(json);
    if (s.doneThrough() >= s.to()) {
      return null;
    }
    return s.repinned(predictions, labels, pinnedMillis * 1000).json();
  }

  /** The summary key a backfill keeps its state under. */
  public static String stateKey() {
    return Backfill.STATE;
  }
}
