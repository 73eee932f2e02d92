package dev.logwait.joiner.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.logwait.joiner.config.LabelSpec;
import dev.logwait.joiner.eval.figures.HealthFigures;
import dev.logwait.joiner.eval.figures.HealthFigures.Bin;
import dev.logwait.joiner.eval.figures.HealthFigures.CoveragePoint;
import dev.logwait.joiner.eval.figures.HealthFigures.DayRate;
import dev.logwait.joiner.eval.figures.HealthFigures.LabelHealth;
import dev.logwait.joiner.eval.figures.HealthFigures.RunRow;
import dev.logwait.joiner.join.LabelEvents;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Join health as pictures, per label spec: the label rate by day of {@code served_at} and model,
 * the label-delay histogram, and the window-coverage curve (the share of all label events matched
 * to a prediction within three windows that arrive within {@code w}, late ones included); and the
 * counts of recent runs.
 */
final class HealthSection {
  /** Coverage is measured up to this many windows after serving. */
  static final int HORIZON_WINDOWS = 3;

  static final int DELAY_BINS = 20;
  static final int COVERAGE_BINS = 60;

  private HealthSection() {}

  static HealthFigures compute(
      Dataset<Row> training, Dataset<Row> rawLabels, Dataset<Row> runs, List<LabelSpec> specs) {
    Map<String, List<DayRate>> rates = ratesByDay(training, specs);
    List<LabelHealth> out = new ArrayList<>();
    for (LabelSpec spec : specs) {
      long windowSeconds = spec.window().toSeconds();
      List<Bin> coverageBins = coverageBins(training, rawLabels, spec);
      double total = coverageBins.stream().mapToDouble(Bin::weight).sum();
      List<CoveragePoint> curve = new ArrayList<>();
      curve.add(new CoveragePoint(0, 0));
      double cumulative = 0;
      double atWindow = Double.NaN;
      for (Bin b : coverageBins) {
        cumulative += b.weight();
        double share = total == 0 ? Double.NaN : cumulative / total;
        curve.add(new CoveragePoint(b.toSeconds(), share));
        if (Math.abs(b.toSeconds() - windowSeconds) < 1e-6) {
          atWindow = share;
        }
      }
      out.add(
          new LabelHealth(
              spec.name(),
              windowSeconds,
              rates.getOrDefault(spec.name(), List.of()),
              delayHistogram(training, spec),
              curve,
              atWindow,
              (double) HORIZON_WINDOWS * windowSeconds,
              total));
    }
    return new HealthFigures(out, recentRuns(runs));
  }

  /** Per spec: weighted share of predictions with at least one event, by day and model. */
  private static Map<String, List<DayRate>> ratesByDay(
      Dataset<Row> training, List<LabelSpec> specs) {
    List<Column> aggs = new ArrayList<>();
    aggs.add(sum(col("weight")).as("_w"));
    for (LabelSpec s : specs) {
      aggs.add(
          sum(when(col(s.column() + "_count").gt(0), col("weight")).otherwise(0.0)).as(s.name()));
    }
    List<Row> rows =
        training
            .groupBy(to_date(col("served_at")).cast("string").as("day"), col("model_name"))
            .agg(count(lit(1)).as("_n"), aggs.toArray(Column[]::new))
            .orderBy("day", "model_name")
            .collectAsList();
    Map<String, List<DayRate>> out = new LinkedHashMap<>();
    for (LabelSpec s : specs) {
      List<DayRate> rates = new ArrayList<>();
      for (Row r : rows) {
        double w = r.getDouble(r.fieldIndex("_w"));
        double labelled = r.getDouble(r.fieldIndex(s.name()));
        rates.add(
            new DayRate(
                r.getString(0),
                String.valueOf(r.<Object>getAs("model_name")),
                r.getLong(r.fieldIndex("_n")),
                w,
                w == 0 ? Double.NaN : labelled / w));
      }
      out.put(s.name(), rates);
    }
    return out;
  }

  /** Weighted delays from serving to the first matched event, in {@link #DELAY_BINS} bins. */
  private static List<Bin> delayHistogram(Dataset<Row> training, LabelSpec spec) {
    double width = spec.windowMicros() / (double) DELAY_BINS;
    Column delay = unix_micros(col(spec.column() + "_at")).minus(unix_micros(col("served_at")));
    List<Row> rows =
        training
            .filter(col(spec.column() + "_count").gt(0))
            .groupBy(least(floor(delay.divide(width)), lit(DELAY_BINS - 1)).as("bin"))
            .agg(sum(col("weight")))
            .collectAsList();
    return bins(rows, DELAY_BINS, width);
  }

  /**
   * Every event of the spec in {@code raw_labels} (late ones too) matched to a finalized prediction
   * by the spec's keys with a window {@link #HORIZON_WINDOWS} times the configured one: the
   * weighted count by delay, in {@link #COVERAGE_BINS} bins.
   */
  private static List<Bin> coverageBins(
      Dataset<Row> training, Dataset<Row> rawLabels, LabelSpec spec) {
    LabelSpec wide =
        new LabelSpec(
            spec.name(),
            spec.window().multipliedBy(HORIZON_WINDOWS),
            spec.aggregation(),
            spec.defaultValue(),
            spec.joinKeys());
    Dataset<Row> keys =
        training.select(
            col("prediction_id").as("_p_id"),
            unix_micros(col("served_at")).as("_p_at"),
            col("entity_keys").as("_p_keys"),
            col("weight").as("_p_w"));
    Dataset<Row> events = LabelEvents.of(rawLabels, wide);
    Column on =
        LabelEvents.match(keys.col("_p_id"), keys.col("_p_at"), keys.col("_p_keys"), events, wide);
    double width = wide.windowMicros() / (double) COVERAGE_BINS;
    List<Row> rows =
        keys.join(events, on, "inner")
            .groupBy(
                least(floor(col("_e_at").minus(col("_p_at")).divide(width)), lit(COVERAGE_BINS - 1))
                    .as("bin"))
            .agg(sum(col("_p_w")))
            .collectAsList();
    return bins(rows, COVERAGE_BINS, width);
  }

  private static List<Bin> bins(List<Row> rows, int n, double widthMicros) {
    double[] w = new double[n];
    for (Row r : rows) {
      int bin = (int) r.getLong(0);
      if (bin >= 0 && bin < n) {
        w[bin] += r.getDouble(1);
      }
    }
    List<Bin> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Bin(i * widthMicros / 1e6, (i + 1) * widthMicros / 1e6, w[i]));
    }
    return out;
  }

  /** The last 30 runs, oldest first: the counts that show a feed's trouble, and watermark lag. */
  private static List<RunRow> recentRuns(Dataset<Row> runs) {
    List<Row> rows =
        runs.select("run_id", "command", "started_at", "counts", "label_watermark", "finished_at")
            .orderBy(col("started_at").desc())
            .limit(30)
            .collectAsList();
    List<RunRow> out = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Long> all = r.isNullAt(3) ? Map.of() : r.getJavaMap(3);
      Map<String, Long> counts = new LinkedHashMap<>();
      HealthFigures.RUN_COUNTS.forEach(k -> counts.put(k, all.getOrDefault(k, 0L)));
      Timestamp wm = r.isNullAt(4) ? null : r.getTimestamp(4);
      Timestamp finished = r.isNullAt(5) ? null : r.getTimestamp(5);
      out.add(
          new RunRow(
              r.getString(0),
              r.getString(1),
              r.isNullAt(2) ? null : r.getTimestamp(2).toInstant().toString(),
              counts,
              wm == null || finished == null
                  ? null
                  : (finished.getTime() - wm.getTime()) / 60_000.0));
    }
    Collections.reverse(out);
    return out;
  }
}
