package dev.logwait.joiner.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets {@code query} name Iceberg's metadata tables by their short name, as it does tables: {@code
 * raw_predictions.refs} becomes {@code <catalog>.<namespace>.raw_predictions.refs} (after {@code
 * USE}, Spark would read the short form as a table {@code refs} in a namespace {@code
 * raw_predictions}).
 */
final class MetadataTables {
  private MetadataTables() {}

  /** Iceberg's metadata tables (MetadataTableType). */
  private static final Pattern SHORT_NAME =
      Pattern.compile(
          "(?<![\\w.`])([A-Za-z_][A-Za-z0-9_]*)\\.(snapshots|refs|history|files|data_files"
              + "|delete_files|manifests|partitions|entries|metadata_log_entries|all_data_files"
              + "|all_delete_files|all_files|all_manifests|all_entries|position_deletes)\\b");

  /**
   * @param tables the namespace's tables: only {@code <table>.<metadata table>} is rewritten, not
   *     {@code alias.files}
   */
  static String qualify(
      String sql, String catalog, String namespace, java.util.Collection<String> tables) {
    StringBuilder out = new StringBuilder();
    // rewrite outside quoted strings only
    String[] parts = sql.split("(?=')|(?<=')", -1);
    boolean quoted = false;
    for (String part : parts) {
      if (part.equals("'")) {
        quoted = !quoted;
        out.append(part);
        continue;
      }
      if (quoted) {
        out.append(part);
        continue;
      }
      Matcher m = SHORT_NAME.matcher(part);
      StringBuilder b = new StringBuilder();
      while (m.find()) {
        boolean table = tables.contains(m.group(1));
        m.appendReplacement(
            b,
            Matcher.quoteReplacement(
                table ? catalog + "." + namespace + "." + m.group() : m.group()));
      }
      m.appendTail(b);
      out.append(b);
    }
    return out.toString();
  }
}
