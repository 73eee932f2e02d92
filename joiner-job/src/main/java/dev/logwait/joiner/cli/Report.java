package dev.logwait.joiner.cli;

import dev.logwait.joiner.JoinerJob;
import dev.logwait.joiner.table.Tables;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What the CLI prints: run summaries, status, query results. */
final class Report {
  private Report() {}

  static void print(JobContext ctx, JoinerJob.Summary s, PrintStream out) {
    out.println();
    out.println("run " + s.runId() + " finished in " + s.millis() / 1000.0 + " s");
    s.counts().forEach((k, v) -> out.printf("  %-32s %,d%n", k, v));
    if (s.watermarkMicros() != null) {
      out.println(
          "  label watermark                  " + Instant.ofEpochMilli(s.watermarkMicros() / 1000));
    }
    if (!s.dataLoss().isEmpty()) {
      out.println("  ACCEPTED DATA LOSS               " + s.dataLoss());
    }
    if (!s.health().isEmpty()) {
      out.println("  join health                      " + Tables.json(s.health()));
    }
  }

  static void status(JobContext ctx, PrintStream out) {
    out.println("tables in " + ctx.tables.name("").replaceAll("\\.$", "") + ":");
    List<Row> tables =
        ctx.spark
            .sql("SHOW TABLES IN " + ctx.tables.name("").replaceAll("\\.$", ""))
            .collectAsList();
    for (Row t : tables) {
      String name = t.getString(1);
      long rows = ctx.spark.table(ctx.tables.name(name)).count();
      out.printf("  %-28s %,12d rows%n", name, rows);
    }
    out.println("committed Kafka positions:");
    out.println(
        "  raw_predictions " + ctx.tables.summary(Tables.RAW_PREDICTIONS).get(Tables.OFFSETS));
    out.println("  raw_labels      " + ctx.tables.summary(Tables.RAW_LABELS).get(Tables.OFFSETS));
    out.println(
        "  label progress  " + ctx.tables.summary(Tables.RAW_LABELS).get(Tables.LABEL_PROGRESS));
    out.println("last runs:");
    printRows(
        ctx.spark.sql(
            "SELECT run_id, command, status, finished_at, label_watermark, counts FROM "
                + ctx.tables.name(Tables.RUNS)
                + " ORDER BY started_at DESC LIMIT 5"),
        "table",
        5,
        out);
  }

  static void printRows(Dataset<Row> d, String format, int limit, PrintStream out) {
    switch (format) {
      case "json":
        d.limit(limit).toJSON().collectAsList().forEach(out::println);
        break;
      case "csv":
        out.println(String.join(",", d.columns()));
        for (Row r : d.limit(limit).collectAsList()) {
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
        printAligned(d.columns(), d.limit(limit).collectAsList(), out);
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
