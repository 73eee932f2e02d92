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
import dev.logwait.joiner.ingest.PositionKey;
import dev.logwait.joiner.table.Tables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

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

  /**
   * Rows a run just appended to {@code raw_predictions} on top of snapshot {@code rawBase}, held in
   * memory, with the table's complete offset map after that append.
   */
  public record Batch(Dataset<Row> rows, long rawBase, Map<String, Long> rawPosition) {}

  /** Finalizes from the table alone. */
  public Result run() {
    return run(null);
  }

  /**
   * Finalizes predictions from {@code raw_predictions}, or, with a batch, from the table as of the
   * batch's base plus the batch itself (the same rows, without reading them back).
   *
   * <p>Only predictions that can still be open are read: each training snapshot records the
   * earliest serving time still open after it ({@link Tables#OPEN_FROM}) and the raw table's
   * position it had considered ({@link Tables#RAW_POSITION}); every prediction not yet finalized
   * was served after the one, or appended past the other.
   */
  public Result run(Batch batch) {
    Map<String, String> labelSummary = tables.summary(Tables.RAW_LABELS);
    String json = labelSummary.get(Tables.LABEL_PROGRESS);
    Map<String, Long> progress = json == null ? Map.of() : Tables.readLongMap(json);
    String predTopic = config.get(ConfigKey.PREDICTIONS_TOPIC);
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
    Dataset<Row> raw;
    Map<String, Long> rawPosition;
    if (batch == null) {
      long current = tables.snapshotId(Tables.RAW_PREDICTIONS);
      raw = tables.readAt(Tables.RAW_PREDICTIONS, current);
      rawPosition = tables.position(Tables.RAW_PREDICTIONS, current);
    } else {
      raw = tables.readAt(Tables.RAW_PREDICTIONS, batch.rawBase());
      rawPosition = batch.rawPosition();
    }
    StructType rawSchema = spark.table(tables.name(Tables.RAW_PREDICTIONS)).schema();
    Dataset<Row> labels = spark.table(tables.name(Tables.RAW_LABELS));
    long finalized = 0;
    String labelRows = labelSummary.get("total-records");
    boolean broadcastLabels =
        labelRows != null && Long.parseLong(labelRows) <= TrainingRows.BROADCAST_MAX_LABELS;
    for (StructField field : rawSchema.fields()) {
      if (!field.name().startsWith("features_")) {
        continue;
      }
      String set = field.name().substring("features_".length());
      String training = Tables.TRAINING_PREFIX + set;
      Long base = null;
      Map<String, String> last = Map.of();
      if (tables.exists(training)) {
        org.apache.iceberg.Snapshot current = tables.ensureSnapshot(training);
        base = current.snapshotId();
        last = current.summary();
      }
      Dataset<Row> stored = raw.filter(col("feature_set").equalTo(set));
      Column stillOpen = stillOpen(last, predTopic);
      if (stillOpen != null) {
        stored = stored.filter(stillOpen);
      }
      List<Column> needed = new ArrayList<>();
      for (String c : TrainingRows.INPUT) {
        needed.add(col(c));
      }
      needed.add(col(field.name()));
      // An earlier snapshot, or the batch, may hold the set with fewer fields (or none).
      Dataset<Row> candidates =
          Tables.alignStruct(stored, field).select(needed.toArray(Column[]::new));
      if (batch != null) {
        candidates =
            candidates.unionByName(
                Tables.alignStruct(batch.rows().filter(col("feature_set").equalTo(set)), field)
                    .select(needed.toArray(Column[]::new)));
      }
      Dataset<Row> pending =
          candidates.filter(unix_micros(col("served_at")).plus(longest).leq(wm.micros()));
      // Only labels and training rows from the earliest pending serving time on: prunes the day
      // partitions of raw_labels and of the training table.
      Row earliest = pending.agg(org.apache.spark.sql.functions.min("served_at")).first();
      if (earliest.isNullAt(0)) {
        counts.put("finalized_" + set, 0L);
        continue;
      }
      if (base != null) {
        pending =
            dev.logwait.joiner.ingest.Dedup.withoutKeys(
                pending,
                "prediction_id",
                tables
                    .readAt(training, base)
                    .filter(col("served_at").geq(earliest.get(0)))
                    .select("prediction_id"));
      }
      Dataset<Row> events = labels.filter(col("occurred_at").geq(earliest.get(0)));
      // Not cached: the rows are computed once, by the write; the health figures are read back
      // from what was committed (a few narrow columns).
      java.sql.Timestamp startedAt = new java.sql.Timestamp(System.currentTimeMillis() - 1000);
      Dataset<Row> rows =
          TrainingRows.build(pending, events, config.labels(), set, broadcastLabels)
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
              Map.of(
                  Tables.CUTOFF,
                  String.valueOf(wm.micros()),
                  Tables.OPEN_FROM,
                  String.valueOf(wm.micros() - longest),
                  Tables.RAW_POSITION,
                  Tables.json(rawPosition),
                  Tables.RUN_ID,
                  runId));
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

  /**
   * The stored predictions an earlier join of this training table left open: served at or after its
   * {@link Tables#OPEN_FROM}, or appended to the raw table past its {@link Tables#RAW_POSITION}.
   * Null (read them all) when the table has no such join yet, or when the position is of another
   * topic than the configured one.
   */
  static Column stillOpen(Map<String, String> lastJoin, String predictionsTopic) {
    String openFrom = lastJoin.get(Tables.OPEN_FROM);
    String json = lastJoin.get(Tables.RAW_POSITION);
    if (openFrom == null || json == null) {
      return null;
    }
    Map<String, Long> position = Tables.readLongMap(json);
    for (String key : position.keySet()) {
      if (!PositionKey.topic(key).equals(predictionsTopic)) {
        return null;
      }
    }
    return unix_micros(col("served_at"))
        .geq(Long.parseLong(openFrom))
        .or(PositionKey.atOrPast(position, predictionsTopic));
  }

  /** Creates an empty training table shaped like the rows; returns its first snapshot. */
  private long create(String training, Dataset<Row> rows) {
    try {
      var w = rows.limit(0).writeTo(tables.name(training)).partitionedBy(days(col("served_at")));
      for (Map.Entry<String, String> e : Tables.WIDE_TABLE_PROPERTIES.entrySet()) {
        w = w.tableProperty(e.getKey(), e.getValue());
      }
      w.create();
    } catch (org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException e) {
      // another run created it first; commit against its snapshot
    }
    return tables.ensureSnapshot(training).snapshotId();
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
