package dev.logwait.joiner.trainer;

import dev.logwait.joiner.config.ConfigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A model's ancestry from the cursor moves: the commit that produced it, the commit that produced
 * its base, and so on back to a model trained from scratch (or a base no commit produced, such as a
 * model trained before logwait).
 */
public final class Ancestry {
  private Ancestry() {}

  /**
   * The commits behind {@code model}, newest first.
   *
   * @throws ConfigException when no commit produced {@code model}
   */
  public static List<Cursor> of(String model, List<Cursor> history) {
    List<Cursor> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String at = model;
    while (at != null && seen.add(at)) {
      Cursor producer = null;
      for (Cursor c : history) {
        if (c.trained() && at.equals(c.modelVersion())) {
          producer = c; // the latest commit naming it, should a version be reused
        }
      }
      if (producer == null) {
        if (out.isEmpty()) {
          throw new ConfigException(
              "no cursor commit produced model "
                  + model
                  + "; `cursor list` shows the models committed");
        }
        break;
      }
      out.add(producer);
      at = producer.baseModel();
    }
    return out;
  }

  /** The ancestry as lines, one per model. */
  public static String text(List<Cursor> chain) {
    StringBuilder sb = new StringBuilder();
    for (Cursor c : chain) {
      sb.append(
          String.format(
              Locale.ROOT,
              "%s <- %s: trainer %s on %s, snapshots %s through %d, %,d rows, labels final through"
                  + " %s, committed %s%n",
              c.modelVersion(),
              c.baseModel() == null ? "(scratch)" : c.baseModel(),
              c.trainer(),
              c.table(),
              c.afterSnapshot() == null ? "from the start" : "after " + c.afterSnapshot(),
              c.snapshotId(),
              c.rows(),
              c.finalThrough(),
              c.committedAt()));
    }
    Cursor oldest = chain.get(chain.size() - 1);
    if (oldest.baseModel() != null) {
      sb.append(oldest.baseModel())
          .append(": not produced by a cursor commit (trained elsewhere)\n");
    }
    long total = chain.stream().mapToLong(Cursor::rows).sum();
    sb.append(
        String.format(
            Locale.ROOT,
            "%s: %d fine-tune%s, %,d rows in all%n",
            chain.get(0).modelVersion(),
            chain.size(),
            chain.size() == 1 ? "" : "s",
            total));
    return sb.toString();
  }
}
