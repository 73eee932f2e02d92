package dev.logwait.joiner.join;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.config.LabelSpec;
import dev.logwait.joiner.ingest.IngestResult;
import dev.logwait.joiner.kafka.OffsetBounds;
import dev.logwait.joiner.semantics.LabelWindow;
import dev.logwait.joiner.semantics.Watermark;
import dev.logwait.joiner.table.Tables;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * docs/design.md, "Join health": the figures that tell a team whether its windows are right and its
 * feeds are alive. Of new label events: late ones and orphans; of finalized rows, per label spec
 * and model: finalized, matched, label rate and label-delay percentiles.
 */
public final class JoinHealth {
  private final SparkSession spark;
  private final JoinerConfig config;
  private final Tables tables;

  public JoinHealth(SparkSession spark, JoinerConfig config, Tables tables) {
    this.spark = spark;
    this.config = config;
    this.tables = tables;
  }

  /**
   * Of the label events an ingest just wrote: {@code late_labels} (exact, with {@code
   * late_labels.<spec>.<model>}), {@code labels_below_watermark} and {@code orphan_labels}. Runs
   * before this run's join, so the training tables hold only rows that earlier runs finalized.
   */
  public Map<String, Long> ofNewLabels(
      IngestResult.NewLabels labels, Map<Integer, OffsetBounds> labelBounds) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (labels == null) {
      out.put("late_labels", 0L);
      out.put("labels_below_watermark", 0L);
      out.put("orphan_labels", 0L);
      return out;
    }
    out.putAll(late(labels));
    out.putAll(belowWatermarkAndOrphans(labels, labelBounds));
    return out;
  }

  /**
   * docs/design.md, "Late labels": a label is late when it would have changed a row an earlier run
   * already finalized: its key and time fall inside the window of a prediction already written.
   * Counted per label spec and model (an entity-key label can touch several models); the total
   * counts each event once.
   */
  private Map<String, Long> late(IngestResult.NewLabels labels) {
    Map<String, Long> byModel = new TreeMap<>();
    long total = 0;
    List<String> training =
        tables.names().stream().filter(t -> t.startsWith(Tables.TRAINING_PREFIX)).toList();
    for (LabelSpec spec : config.labels()) {
      Dataset<Row> touched = null;
      for (String t : training) {
        Dataset<Row> m = touching(labels, spec, t);
        if (m != null) {
          touched = touched == null ? m : touched.union(m);
        }
      }
      if (touched == null) {
        continue;
      }
      for (Row r : touched.groupBy("model_name").agg(countDistinct("_e_id")).collectAsList()) {
        byModel.put("late_labels." + spec.name() + "." + r.getString(0), r.getLong(1));
      }
      total += touched.select("_e_id").distinct().count();
    }
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("late_labels", total);
    out.putAll(byModel);
    return out;
  }

  /** New events of {@code spec} inside the window of a row of {@code training}: (_e_id, model). */
  private Dataset<Row> touching(IngestResult.NewLabels labels, LabelSpec spec, String training) {
    if (labels.earliest() == null
        || !List.of(tables.schema(training).fieldNames()).contains(spec.column())) {
      return null; // nothing new, or a spec this table was never joined with
    }
    Dataset<Row> events = LabelEvents.of(labels.rows(), spec);
    Timestamp from = new Timestamp(labels.earliest().getTime() - spec.windowMicros() / 1000);
    Dataset<Row> rows =
        spark
            .table(tables.name(training))
            .filter(col("served_at").between(from, labels.latest()))
            .select(
                col("prediction_id").as("_p_id"),
                unix_micros(col("served_at")).as("_p_at"),
                col("entity_keys").as("_p_keys"),
                col("model_name"));
    Column on =
        LabelEvents.match(rows.col("_p_id"), rows.col("_p_at"), rows.col("_p_keys"), events, spec);
    return events.join(rows, on).select(col("_e_id"), col("model_name"));
  }

  /**
   * Two figures of the new events, counted in one query. {@code labels_below_watermark}, the
   * broader one: events of a configured label whose time lies before the watermark of earlier runs
   * (most join predictions still open; those that touch finalized rows are {@code late_labels}).
   * {@code orphan_labels}: events that name a prediction id no prediction served within the longest
   * window before them has (yet); they can never join, and a feed pointing at the wrong topic or
   * model shows up here. Only the days of {@code raw_predictions} from the earliest new event's
   * time minus the longest window to the latest are read, not the whole history.
   */
  private Map<String, Long> belowWatermarkAndOrphans(
      IngestResult.NewLabels labels, Map<Integer, OffsetBounds> bounds) {
    Watermark previous = LabelClock.watermark(config, labels.previousProgress(), bounds);
    Object[] names = config.labels().stream().map(LabelSpec::name).toArray();
    Column below =
        previous.known()
            ? col("label_name")
                .isin(names)
                .and(unix_micros(col("occurred_at")).lt(previous.micros()))
            : lit(false);
    Dataset<Row> events = labels.rows();
    Column orphan = lit(false);
    if (labels.earliest() != null) {
      long longest = TimeUnit.MICROSECONDS.convert(config.longestWindow());
      Timestamp from = new Timestamp(labels.earliest().getTime() - longest / 1000);
      Dataset<Row> served =
          spark
              .table(tables.name(Tables.RAW_PREDICTIONS))
              .filter(col("served_at").between(from, labels.latest()))
              .select(col("prediction_id").as("_pid"), unix_micros(col("served_at")).as("_at"));
      Column inWindow =
          LabelWindow.contains(served.col("_at"), unix_micros(events.col("occurred_at")), longest);
      events =
          events.join(
              served,
              events.col("prediction_id").equalTo(served.col("_pid")).and(inWindow),
              "left");
      orphan = col("prediction_id").isNotNull().and(col("_pid").isNull());
    }
    // one row per event: an event matches at most one prediction (ingest keeps one row per
    // prediction id), and an orphan matches none
    Row r = events.agg(count(when(below, 1)), count(when(orphan, 1))).first();
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("labels_below_watermark", r.getLong(0));
    out.put("orphan_labels", r.getLong(1));
    return out;
  }

  /** Per label and model: finalized, matched, label rate, label-delay percentiles (seconds). */
  Map<String, Object> ofRows(Dataset<Row> rows) {
    Map<String, Object> out = new TreeMap<>();
    for (LabelSpec spec : config.labels()) {
      String c = spec.column();
      Column delay =
          unix_micros(col(c + "_at")).minus(unix_micros(col("served_at"))).divide(1_000_000.0);
      List<Row> stats =
          rows.groupBy("model_name")
              .agg(
                  count(lit(1)).as("finalized"),
                  sum(when(col(c + "_count").gt(0), 1).otherwise(0)).as("matched"),
                  percentile_approx(delay, lit(new double[] {0.5, 0.9, 0.99}), lit(1000))
                      .as("delay"))
              .collectAsList();
      Map<String, Object> byModel = new TreeMap<>();
      for (Row r : stats) {
        long f = r.getLong(1);
        long m = r.getLong(2);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("finalized", f);
        h.put("matched", m);
        h.put("label_rate", f == 0 ? 0.0 : (double) m / f);
        List<Object> p = r.isNullAt(3) ? List.of() : new ArrayList<>(r.getList(3));
        h.put("delay_seconds_p50_p90_p99", p);
        byModel.put(r.getString(0), h);
      }
      out.put(spec.name(), byModel);
    }
    return out;
  }
}
