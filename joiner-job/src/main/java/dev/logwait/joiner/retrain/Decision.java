package dev.logwait.joiner.retrain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One check of a training table: every condition evaluated, and whether any holds (retrain).
 *
 * @param checkId unique per check; the {@code triggers} rows of one check share it
 */
public record Decision(
    String checkId, Instant checkedAt, String table, List<Condition> conditions) {
  /** The exit code of {@code check} when a condition holds: distinct from 1 and 2 (failures). */
  public static final int RETRAIN_EXIT = 10;

  public boolean retrain() {
    return conditions.stream().anyMatch(Condition::holds);
  }

  /** What {@code check} exits with: {@value #RETRAIN_EXIT} to retrain, 0 otherwise. */
  public int exitCode() {
    return retrain() ? RETRAIN_EXIT : 0;
  }

  /** The conditions that hold, as {@code name (trainer)}. */
  public List<String> holding() {
    List<String> out = new ArrayList<>();
    for (Condition c : conditions) {
      if (c.holds()) {
        out.add(c.name() + (c.trainer() == null ? "" : " (" + c.trainer() + ")"));
      }
    }
    return out;
  }

  /** The decision as lines: a head line, then one line per condition. */
  public String text() {
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "check %s at %s: %s%n",
                table,
                checkedAt,
                retrain()
                    ? "RETRAIN (exit " + RETRAIN_EXIT + "): " + String.join(", ", holding())
                    : "no condition holds (exit 0)"));
    for (Condition c : conditions) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-10s %-6s %-16s %s%n",
              c.name(),
              c.holds() ? "HOLDS" : "-",
              c.trainer() == null ? "(no trainer)" : c.trainer(),
              c.reason()));
    }
    return sb.toString();
  }

  /** The decision as JSON-ready maps ({@code check --format json}). */
  public Map<String, Object> json() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("check_id", checkId);
    out.put("checked_at", checkedAt.toString());
    out.put("table", table);
    out.put("retrain", retrain());
    out.put("exit_code", exitCode());
    List<Map<String, Object>> cs = new ArrayList<>();
    for (Condition c : conditions) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("condition", c.name());
      m.put("trainer", c.trainer());
      m.put("holds", c.holds());
      m.put("value", Double.isFinite(c.value()) ? c.value() : null);
      m.put("threshold", c.threshold());
      m.put("reason", c.reason());
      cs.add(m);
    }
    out.put("conditions", cs);
    return out;
  }
}
