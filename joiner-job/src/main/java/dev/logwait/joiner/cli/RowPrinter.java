package dev.logwait.joiner.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Query results as an aligned table, CSV, or JSON lines. */
final class RowPrinter {
  private RowPrinter() {}

  /** Every logwait timestamp carries microseconds; JSON keeps them (Spark's default cuts them). */
  static final String JSON_TIMESTAMPS = "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX";

  /** Prints at most {@code limit} rows to {@code out}; says on stderr when the limit cut them. */
  static void printRows(Dataset<Row> d, String format, int limit, PrintStream out) {
    printRows(d, format, limit, out, System.err);
  }

  static void printRows(
      Dataset<Row> d, String format, int limit, PrintStream out, PrintStream err) {
    boolean cut;
    switch (format) {
      case "json":
        List<String> lines =
            d.limit(limit + 1)
                .select(
                    to_json(
                        struct(
                            java.util.Arrays.stream(d.columns())
                                .map(c -> col("`" + c + "`"))
                                .toArray(org.apache.spark.sql.Column[]::new)),
                        Map.of("timestampFormat", JSON_TIMESTAMPS)))
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList();
        cut = lines.size() > limit;
        lines.stream().limit(limit).forEach(out::println);
        break;
      case "csv":
        out.println(String.join(",", d.columns()));
        List<Row> rows = d.limit(limit + 1).collectAsList();
        cut = rows.size() > limit;
        for (Row r : rows.subList(0, Math.min(limit, rows.size()))) {
          StringBuilder sb = new StringBuilder();
          for (int i = 0; i < r.length(); i++) {
            if (i > 0) {
              sb.append(',');
            }
            String v = r.isNullAt(i) ? "" : text(r.get(i));
            sb.append(
                v.contains(",") || v.contains("\"") ? '"' + v.replace("\"", "\"\"") + '"' : v);
          }
          out.println(sb);
        }
        break;
      default:
        List<Row> all = d.limit(limit + 1).collectAsList();
        cut = all.size() > limit;
        printAligned(d.columns(), all.subList(0, Math.min(limit, all.size())), out);
    }
    if (cut) {
      err.println("(first " + limit + " rows; --limit N for more)");
    }
  }

  /** A cell as text; Spark hands maps and arrays over as Scala collections. */
  static String text(Object v) {
    if (v instanceof scala.collection.Map<?, ?> m) {
      return new java.util.TreeMap<>(scala.jdk.javaapi.CollectionConverters.asJava(m)).toString();
    }
    if (v instanceof scala.collection.Seq<?> s) {
      return scala.jdk.javaapi.CollectionConverters.asJava(s).toString();
    }
    if (v instanceof byte[] b) {
      return java.util.HexFormat.of().formatHex(b);
    }
    return String.valueOf(v);
  }

  /** An aligned text table, values cut at 60 characters. */
  static void printAligned(String[] columns, List<Row> rows, PrintStream out) {
    int[] w = new int[columns.length];
    String[][] cells = new String[rows.size()][columns.length];
    for (int i = 0; i < columns.length; i++) {
      w[i] = columns[i].length();
    }
    for (int r = 0; r < rows.size(); r++) {
      for (int i = 0; i < columns.length; i++) {
        String v = rows.get(r).isNullAt(i) ? "null" : text(rows.get(r).get(i));
        v = v.length() > 60 ? v.substring(0, 57) + "..." : v;
        cells[r][i] = v;
        w[i] = Math.max(w[i], v.length());
      }
    }
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < columns.length; i++) {
      line.append(String.format("%-" + w[i] + "s  ", columns[i]));
    }
    out.println(line.toString().stripTrailing());
    for (String[] row : cells) {
      line.setLength(0);
      for (int i = 0; i < columns.length; i++) {
        line.append(String.format("%-" + w[i] + "s  ", row[i]));
      }
      out.println(line.toString().stripTrailing());
    }
    out.println("(" + rows.size() + " rows)");
  }
}
