package dev.logwait.joiner.cli;

import dev.logwait.joiner.JoinerJob;
import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.eval.RouterSection;
import dev.logwait.joiner.join.LabelClock;
import dev.logwait.joiner.kafka.KafkaOffsets;
import dev.logwait.joiner.kafka.OffsetBounds;
import dev.logwait.joiner.kafka.Positions;
import dev.logwait.joiner.semantics.Watermark;
import dev.logwait.joiner.table.Json;
import dev.logwait.joiner.table.LabelProgress;
import dev.logwait.joiner.table.Tables;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

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
    // the join's health is per feature set, then per label and model
    s.health()
        .forEach(
            (set, byLabel) -> {
              if (byLabel instanceof Map<?, ?> labels && !labels.isEmpty()) {
                out.println("  join health of " + set + ", per label and model:");
                healthLines(labels).forEach(l -> out.println("    " + l));
              }
            });
  }

  /** The run's join health ({@code label -> model -> figures}) as an aligned table. */
  static List<String> healthLines(Map<?, ?> health) {
    List<String[]> rows = new java.util.ArrayList<>();
    rows.add(
        new String[] {"label", "model", "finalized", "matched", "rate", "delay p50/p90/p99 (s)"});
    health.forEach(
        (label, models) -> {
          if (models instanceof Map<?, ?> byModel) {
            byModel.forEach(
                (model, figures) -> {
                  Map<?, ?> f = (Map<?, ?>) figures;
                  List<?> delay =
                      f.get("delay_seconds_p50_p90_p99") instanceof List<?> d ? d : List.of();
                  rows.add(
                      new String[] {
                        String.valueOf(label),
                        String.valueOf(model),
                        String.format("%,d", ((Number) f.get("finalized")).longValue()),
                        String.format("%,d", ((Number) f.get("matched")).longValue()),
                        String.format("%.4f", ((Number) f.get("label_rate")).doubleValue()),
                        delay.isEmpty()
                            ? "-"
                            : String.join(
                                "/",
                                delay.stream()
                                    .map(v -> String.format("%.0f", ((Number) v).doubleValue()))
                                    .toList())
                      });
                });
          }
        });
    int[] w = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    List<String> lines = new java.util.ArrayList<>();
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        // names to the left, figures to the right
        b.append(String.format("%" + (i < 2 ? "-" : "") + w[i] + "s  ", r[i]));
      }
      lines.add(b.toString().stripTrailing());
    }
    return lines;
  }

  static void status(JobContext ctx, PrintStream out) {
    List<String> names = ctx.tables.names();
    out.println("tables in " + ctx.tables.namespace() + ":");
    for (String name : names) {
      out.printf("  %-28s %,12d rows%n", name, ctx.spark.table(ctx.tables.name(name)).count());
    }
    Map<Integer, OffsetBounds> labelBounds = positions(ctx, out);
    Map<String, Long> progress = LabelProgress.in(ctx.tables.summary(Tables.RAW_LABELS));
    out.println("  label progress               " + Json.write(progress));
    if (labelBounds != null) {
      Watermark wm = LabelClock.watermark(ctx.config, progress, labelBounds);
      if (!wm.idlePartitions().isEmpty()) {
        out.println(
            "  idle label partitions        "
                + wm.idlePartitions()
                + " (no record for "
                + ctx.config.get(ConfigKey.LABEL_PARTITIONS_IDLE_AFTER)
                + "; they hold no window open)");
      }
      out.println(
          "label watermark: "
              + (wm.known()
                  ? Instant.ofEpochMilli(wm.micros() / 1000).toString()
                  : "none yet (partitions " + wm.partitionsWithoutEvents() + " carried no event)"));
    }
    long pending = ctx.spark.table(ctx.tables.name(Tables.RAW_PREDICTIONS)).count();
    for (String name : names) {
      if (name.startsWith(Tables.TRAINING_PREFIX)) {
        pending -= ctx.spark.table(ctx.tables.name(name)).count();
      }
    }
    out.printf("pending predictions (ingested, not yet finalized): %,d%n", pending);
    out.println("last runs:");
    RowPrinter.printRows(
        ctx.spark.sql(
            "SELECT run_id, command, status, finished_at, label_watermark, counts FROM "
                + ctx.tables.name(Tables.RUNS)
                + " ORDER BY started_at DESC LIMIT 5"),
        "table",
        5,
        out);
    RouterLines.of(
            RouterSection.compute(
                ctx.spark,
                ctx.config,
                ctx.tables,
                null,
                false,
                Duration.ofSeconds(10),
                Instant.now()))
        .forEach(out::println);
  }

  /**
   * Prints the committed positions and their lag behind the topics' ends; returns the labels
   * topic's partitions, or null when Kafka did not answer.
   */
  private static Map<Integer, OffsetBounds> positions(JobContext ctx, PrintStream out) {
    out.println("committed Kafka positions, and lag behind the topics' ends:");
    Map<Integer, OffsetBounds> labelBounds = null;
    for (ConfigKey topic : List.of(ConfigKey.PREDICTIONS_TOPIC, ConfigKey.LABELS_TOPIC)) {
      String name = ctx.config.get(topic);
      Positions pos =
          ctx.tables.currentPosition(
              topic == ConfigKey.PREDICTIONS_TOPIC ? Tables.RAW_PREDICTIONS : Tables.RAW_LABELS);
      Map<Integer, OffsetBounds> bounds;
      try {
        bounds = KafkaOffsets.bounds(ctx.config.kafkaClientProps(), name, 10);
      } catch (RuntimeException e) {
        out.printf("  %-28s %s (Kafka unreachable within 10 s: no lag, no watermark)%n", name, pos);
        return null;
      }
      long lag = 0;
      for (Map.Entry<Integer, OffsetBounds> b : bounds.entrySet()) {
        lag += b.getValue().latest() - pos.next(name, b.getKey(), b.getValue().earliest());
      }
      out.printf("  %-28s %s, lag %,d records%n", name, pos, lag);
      if (topic == ConfigKey.LABELS_TOPIC) {
        labelBounds = bounds;
      }
    }
    return labelBounds;
  }
}
