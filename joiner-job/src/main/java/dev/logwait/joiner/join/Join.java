package dev.logwait.joiner.join;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.days;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.logwait.joiner.CrashPoints;
import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.config.LabelSpec;
import dev.logwait.joiner.ingest.KafkaOffsets;
import dev.logwait.joiner.table.Tables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Finalizes every ingested prediction whose label windows have closed at the label watermark and
 * that is not yet in its training table (late predictions included), and writes it once.
 */
public final class Join {
  private final SparkSession spark;
  private final JoinerConfig config;
  private final Tables tables;
  private final String runId;

  /** What a join did; {@code health} is per feature set, label and model. */
  public record Result(
      LabelWatermark.Result watermark, Map<String, Long> counts, Map<String, Object> health) {}

  public Join(SparkSession spark, JoinerConfig config, Tables tables, String runId) {
    this.spark = spark;
    this.config = config;
    this.tables = tables;
    this.runId = runId;
  }

  public Result run() {
    String json = tables.summary(Tables.RAW_LABELS).get(Tables.LABEL_PROGRESS);
    Map<String, Long> progress = json == null ? Map.of() : Tables.readLongMap(json);
    var partitions =
        KafkaOffsets.bounds(config.kafkaClientProps(), config.get(ConfigKey.LABELS_TOPIC)).keySet();
    LabelWatermark.Result wm =
        LabelWatermark.compute(progress, partitions, config.allowedLateness());
    Map<String, Long> counts = new LinkedHashMap<>();
    Map<String, Object> health = new TreeMap<>();
    if (!wm.known()) {
      counts.put("finalized", 0L);
      return new Result(wm, counts, health);
    }
    long longest = config.longestWindow().toNanos() / 1000;
    Dataset<Row> raw = spark.table(tables.name(Tables.RAW_PREDICTIONS));
    Dataset<Row> labels = spark.table(tables.name(Tables.RAW_LABELS));
    long finalized = 0;
    String labelRows = tables.summary(Tables.RAW_LABELS).get("total-records");
    boolean broadcastLabels =
        labelRows != null && Long.parseLong(labelRows) <= TrainingRows.BROADCAST_MAX_LABELS;
    for (String column : raw.columns()) {
      if (!column.startsWith("features_")) {
        continue;
      }
      String set = column.substring("features_".length());
      String training = Tables.TRAINING_PREFIX + set;
      Dataset<Row> pending =
          raw.filter(col("feature_set").equalTo(set))
              .filter(unix_micros(col("served_at")).plus(longest).leq(wm.micros()));
      Long base = null;
      if (tables.exists(training)) {
        tables.ensureSnapshot(training);
        base = tables.snapshotId(training);
        pending =
            dev.logwait.joiner.ingest.Dedup.withoutKeys(
                pending, "prediction_id", tables.readAt(training, base).select("prediction_id"));
      }
      // Only labels that can fall in a pending window: prunes raw_labels' day partitions.
      Row earliest = pending.agg(org.apache.spark.sql.functions.min("served_at")).first();
      if (earliest.isNullAt(0)) {
        counts.put("finalized_" + set, 0L);
        continue;
      }
      Dataset<Row> candidates = labels.filter(col("occurred_at").geq(earliest.get(0)));
      // Not cached: the rows are computed once, by the write; the health figures are read back
      // from what was committed (a few narrow columns).
      java.sql.Timestamp startedAt = new java.sql.Timestamp(System.currentTimeMillis() - 1000);
      Dataset<Row> rows =
          TrainingRows.build(pending, candidates, config.labels(), set, broadcastLabels)
              .withColumn("finalized_at", current_timestamp());
      if (base == null) {
        base = create(training, rows);
      }
      CrashPoints.reached("before-commit-" + training);
      Tables.Committed committed =
          tables.commit(
              training,
              base,
              rows,
              Map.of(Tables.CUTOFF, String.valueOf(wm.micros()), Tables.RUN_ID, runId));
      CrashPoints.reached("after-commit-" + training);
      long n = committed.rows();
      if (n > 0) {
        long t = System.nanoTime();
        Dataset<Row> written =
            tables
                .readAt(training, committed.snapshotId())
                .filter(col("finalized_at").geq(startedAt));
        health.put(set, health(written));
        Tables.PROGRESS.info("join health of {} in {} s", set, Tables.seconds(t));
      }
      counts.put("finalized_" + set, n);
      finalized += n;
    }
    counts.put("finalized", finalized);
    return new Result(wm, counts, health);
  }

  /** Creates an empty training table shaped like the rows; returns its first snapshot. */
  private long create(String training, Dataset<Row> rows) {
    try {
      rows.limit(0)
          .writeTo(tables.name(training))
          .partitionedBy(days(col("served_at")))
          .tableProperty("format-version", "2")
          .tableProperty("write.spark.accept-any-schema", "true")
          .create();
    } catch (org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException e) {
      // another run created it first; commit against its snapshot
    }
    tables.ensureSnapshot(training);
    return tables.snapshotId(training);
  }

  /** Per label and model: finalized, matched, label rate, label-delay percentiles (seconds). */
  private Map<String, Object> health(Dataset<Row> rows) {
    Map<String, Object> out = new TreeMap<>();
    for (LabelSpec spec : config.labels()) {
      String c = spec.column();
      var delay =
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
