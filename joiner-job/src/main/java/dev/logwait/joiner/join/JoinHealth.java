package dev.logwait.joiner.join;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.config.LabelSpec;
import dev.logwait.joiner.ingest.IngestResult;
import dev.logwait.joiner.semantics.LabelWindow;
import dev.logwait.joiner.semantics.Micros;
import dev.logwait.joiner.semantics.Watermark;
import dev.logwait.joiner.table.Tables;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * DESIGN.md, "Join health": the figures that tell a team whether its windows are right and its
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

  /** {@code late_labels} and {@code orphan_labels} of the label events an ingest just wrote. */
  public Map<String, Long> ofNewLabels(
      IngestResult.NewLabels labels, Collection<Integer> labelPartitions) {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("late_labels", labels == null ? 0L : late(labels, labelPartitions));
    out.put("orphan_labels", labels == null ? 0L : orphans(labels));
    return out;
  }

  /**
   * New label events of a configured label whose time lies before the watermark of earlier runs:
   * windows they may belong to could already be finalized. They are kept in raw_labels.
   */
  private long late(IngestResult.NewLabels labels, Collection<Integer> partitions) {
    Watermark previous =
        Watermark.of(labels.previousProgress(), partitions, config.allowedLateness());
    if (!previous.known()) {
      return 0;
    }
    Object[] names = config.labels().stream().map(LabelSpec::name).toArray();
    return labels
        .rows()
        .filter(col("label_name").isin(names))
        .filter(unix_micros(col("occurred_at")).lt(previous.micros()))
        .count();
  }

  /**
   * New labels that name a prediction id no prediction served within the longest window before them
   * has (yet): they can never join. A feed pointing at the wrong topic or model shows up here. Only
   * the days of {@code raw_predictions} from the earliest new label's time minus the longest window
   * to the latest are read, not the whole history.
   */
  private long orphans(IngestResult.NewLabels labels) {
    if (labels.earliest() == null) {
      return 0;
    }
    long longest = Micros.of(config.longestWindow());
    Dataset<Row> named = labels.rows().filter(col("prediction_id").isNotNull());
    Timestamp from = new Timestamp(labels.earliest().getTime() - longest / 1000);
    Dataset<Row> served =
        spark
            .table(tables.name(Tables.RAW_PREDICTIONS))
            .filter(col("served_at").between(from, labels.latest()))
            .select(col("prediction_id").as("_pid"), unix_micros(col("served_at")).as("_at"));
    Column inWindow =
        LabelWindow.contains(served.col("_at"), unix_micros(named.col("occurred_at")), longest);
    return named
        .join(
            served,
            named.col("prediction_id").equalTo(served.col("_pid")).and(inWindow),
            "left_anti")
        .count();
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
