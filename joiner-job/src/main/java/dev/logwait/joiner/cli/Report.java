package dev.logwait.joiner.cli;

import dev.logwait.joiner.JoinerJob;
import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.ingest.KafkaOffsets;
import dev.logwait.joiner.ingest.PositionKey;
import dev.logwait.joiner.join.LabelWatermark;
import dev.logwait.joiner.table.Tables;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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
    out.println("committed Kafka positions, and lag behind the topics' ends:");
    Map<String, Long> predPos =
        Tables.readLongMap(
            ctx.tables.summary(Tables.RAW_PREDICTIONS).getOrDefault(Tables.OFFSETS, "{}"));
    Map<String, Long> labelPos =
        Tables.readLongMap(
            ctx.tables.summary(Tables.RAW_LABELS).getOrDefault(Tables.OFFSETS, "{}"));
    String progressJson =
        ctx.tables.summary(Tables.RAW_LABELS).getOrDefault(Tables.LABEL_PROGRESS, "{}");
    Collection<Integer> labelPartitions = null;
    boolean reachable = true;
    for (ConfigKey topic : List.of(ConfigKey.PREDICTIONS_TOPIC, ConfigKey.LABELS_TOPIC)) {
      String name = ctx.config.get(topic);
      Map<String, Long> pos = topic == ConfigKey.PREDICTIONS_TOPIC ? predPos : labelPos;
      if (!reachable) {
        out.printf("  %-28s %s%n", name, pos);
        continue;
      }
      try {
        Map<Integer, long[]> bounds = KafkaOffsets.bounds(ctx.config.kafkaClientProps(), name, 10);
        long lag = 0;
        for (Map.Entry<Integer, long[]> b : bounds.entrySet()) {
          lag +=
              b.getValue()[1] - pos.getOrDefault(PositionKey.of(name, b.getKey()), b.getValue()[0]);
        }
        out.printf("  %-28s %s, lag %,d records%n", name, pos, lag);
        if (topic == ConfigKey.LABELS_TOPIC) {
          labelPartitions = bounds.keySet();
        }
      } catch (RuntimeException e) {
        out.printf("  %-28s %s (Kafka unreachable within 10 s: no lag, no watermark)%n", name, pos);
        reachable = false;
      }
    }
    out.println("  label progress               " + progressJson);
    if (labelPartitions != null) {
      LabelWatermark.Result wm =
          LabelWatermark.compute(
              Tables.readLongMap(progressJson), labelPartitions, ctx.config.allowedLateness());
      out.println(
          "label watermark: "
              + (wm.known()
                  ? Instant.ofEpochMilli(wm.micros() / 1000).toString()
                  : "none yet (partitions " + wm.partitionsWithoutEvents() + " carried no event)"));
    }
    long pending = ctx.spark.table(ctx.tables.name(Tables.RAW_PREDICTIONS)).count();
    for (Row t : tables) {
      if (t.getString(1).startsWith(Tables.TRAINING_PREFIX)) {
        pending -= ctx.spark.table(ctx.tables.name(t.getString(1))).count();
      }
    }
    out.printf("pending predictions (ingested, not yet finalized): %,d%n", pending);
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
