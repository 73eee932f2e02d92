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
}
