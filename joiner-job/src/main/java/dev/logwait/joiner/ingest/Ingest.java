package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_micros;

import dev.logwait.joiner.CrashPoints;
import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.semantics.EventTimeGuard;
import dev.logwait.joiner.semantics.Micros;
import dev.logwait.joiner.table.Tables;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.IncompatibleSchemaException;
import dev.logwait.schema.LogwaitSchemas;
import dev.logwait.schema.SchemaTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Reads new Kafka records in batch with explicit offset ranges and appends them, exactly once, to
 * {@code raw_predictions}, {@code raw_labels} and {@code quarantine}. Each table's snapshot carries
 * its own complete offset map; a table reads only offsets past its own position, so a run that dies
 * between two tables' commits is completed, not repeated, by the next run.
 */
public final class Ingest {
  private final SparkSession spark;
  private final JoinerConfig config;
  private final Tables tables;
  private final String runId;
  private final Map<String, Long> base = new HashMap<>();
  private final java.util.concurrent.CompletableFuture<SchemaTopic.Contents> schemaRead;

  /**
   * What an ingest did. {@code newPredictions}, when not null, are the rows this run appended to
   * {@code raw_predictions} on top of snapshot {@code rawBase} (still cached: a join in the same
   * run reads them from memory instead of the table); {@link #release()} frees them.
   */
  public record Result(
      Map<String, Long> counts,
      Map<String, Long> predictionOffsets,
      Map<String, Long> labelOffsets,
      Map<String, Long> dataLoss,
      List<String> schemaProblems,
      Dataset<Row> newPredictions,
      long rawBase,
      Runnable releaser) {
    /** Frees the cached batch. */
    public void release() {
      releaser.run();
    }
  }

  /**
   * Consumer settings for reading a backlog in bulk (the consumer's defaults suit a trickle: 1 MiB
   * per partition per fetch, a 64 KiB socket buffer). {@code kafka.properties} overrides them.
   */
  static final Map<String, String> FETCH_DEFAULTS =
      Map.of(
          "max.partition.fetch.bytes", String.valueOf(16 << 20),
          "fetch.max.bytes", String.valueOf(64 << 20),
          "receive.buffer.bytes", String.valueOf(4 << 20));

  /**
   * Starts reading the schemas topic at once, in the background (a second or so of Kafka round
   * trips that overlaps the table set-up); {@link #run} waits for it.
   */
  public Ingest(SparkSession spark, JoinerConfig config, Tables tables, String runId) {
    this.spark = spark;
    this.config = config;
    this.tables = tables;
    this.runId = runId;
    this.schemaRead =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                SchemaTopic.readAll(
                    config.kafkaClientProps(),
                    config.get(ConfigKey.SCHEMAS_TOPIC),
                    Duration.ofMinutes(2)));
  }

  public Result run(boolean acceptDataLoss) {
    String predTopic = config.get(ConfigKey.PREDICTIONS_TOPIC);
    String labelTopic = config.get(ConfigKey.LABELS_TOPIC);
    Map<String, Object> client = config.kafkaClientProps();

    SchemaTopic.Contents schemas;
    try {
      schemas = schemaRead.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    List<Schema> predictionWriters = new ArrayList<>();
    List<String> problems = new ArrayList<>(schemas.rejected());
    for (Schema s : schemas.schemas().values()) {
      try {
        FeatureSet.fromWriterSchema(s);
        predictionWriters.add(s);
      } catch (IncompatibleSchemaException e) {
        problems.add(e.getMessage());
      }
    }
    List<Schema> labelWriters = new ArrayList<>(LogwaitSchemas.labelEventHistory());
    labelWriters.add(LogwaitSchemas.labelEvent());

    Map<Integer, long[]> predBounds = KafkaOffsets.bounds(client, predTopic);
    Map<Integer, long[]> labelBounds = KafkaOffsets.bounds(client, labelTopic);

    for (String t : new String[] {Tables.RAW_PREDICTIONS, Tables.RAW_LABELS, Tables.QUARANTINE}) {
      base.put(t, tables.snapshotId(t)); // every commit below is checked against these
    }
    Map<String, Long> rawPredPos =
        tables.position(Tables.RAW_PREDICTIONS, base.get(Tables.RAW_PREDICTIONS));
    Map<String, Long> rawLabelPos = tables.position(Tables.RAW_LABELS, base.get(Tables.RAW_LABELS));
    Map<String, Long> quarantinePos =
        tables.position(Tables.QUARANTINE, base.get(Tables.QUARANTINE));

    Map<String, Long> loss = new TreeMap<>();
    Map<Integer, Long> predStart =
        start(predTopic, predBounds, List.of(rawPredPos, quarantinePos), loss);
    Map<Integer, Long> labelStart =
        start(labelTopic, labelBounds, List.of(rawLabelPos, quarantinePos), loss);
    if (!loss.isEmpty() && !acceptDataLoss) {
      long total = loss.values().stream().mapToLong(Long::longValue).sum();
      throw new DataLossException(
          total
              + " records fell out of Kafka's retention before logwait read them: "
              + loss
              + " (partition -> records lost). Nothing was written. Rerun with"
              + " --accept-data-loss to skip them; the gap is then recorded in the runs table.");
    }

    Map<String, Long> counts = new LinkedHashMap<>();
    EventTimeGuard guard = config.eventTimeGuard();
    long now = Micros.of(Duration.ofMillis(System.currentTimeMillis()));
    Dataset<Row> preds =
        read(predTopic, predStart, predBounds)
            .map(k -> Decoder.predictions(k, predictionWriters, guard, now))
            .orElse(null);
    Dataset<Row> labels =
        read(labelTopic, labelStart, labelBounds)
            .map(k -> Decoder.labels(k, labelWriters, guard, now))
            .orElse(null);
    if (preds != null) {
      preds = preds.persist(StorageLevel.MEMORY_AND_DISK());
      long t = System.nanoTime();
      Tables.PROGRESS.info(
          "read and decoded {} prediction messages in {} s", preds.count(), Tables.seconds(t));
    }
    if (labels != null) {
      labels = labels.persist(StorageLevel.MEMORY_AND_DISK());
    }
    Dataset<Row> cachedPreds = preds;
    Dataset<Row> cachedLabels = labels;
    Runnable release =
        () -> {
          if (cachedPreds != null) {
            cachedPreds.unpersist();
          }
          if (cachedLabels != null) {
            cachedLabels.unpersist();
          }
        };
    boolean done = false;
    try {
      Map<String, Long> predEnd = ends(predTopic, predBounds, rawPredPos);
      Map<String, Long> labelEnd = ends(labelTopic, labelBounds, rawLabelPos);
      Map<String, Long> quarantineEnd = new TreeMap<>(quarantinePos);
      quarantineEnd.putAll(ends(predTopic, predBounds, Map.of()));
      quarantineEnd.putAll(ends(labelTopic, labelBounds, Map.of()));

      // Quarantine first: a message is never lost between a failed decode and a commit.
      Dataset<Row> bad = null;
      Map<String, Dataset<Row>> byTopic = new LinkedHashMap<>();
      byTopic.put(predTopic, preds);
      byTopic.put(labelTopic, labels);
      for (Map.Entry<String, Dataset<Row>> t : byTopic.entrySet()) {
        Dataset<Row> d = t.getValue();
        if (d != null) {
          Dataset<Row> q =
              newFor(d.filter(col("reason").isNotNull()), t.getKey(), quarantinePos)
                  .select(
                      col("topic"),
                      col("kafka_partition"),
                      col("kafka_offset"),
                      col("kafka_timestamp"),
                      col("raw_key").as("key"),
                      col("raw_value").as("value"),
                      col("reason"),
                      col("detail"),
                      current_timestamp().as("ingested_at"),
                      lit(runId).as("run_id"));
          bad = bad == null ? q : bad.unionByName(q);
        }
      }
      // Counted on the cached batch first: most runs have nothing to quarantine, and then only
      // the position is committed, without a write job.
      Map<String, Long> byReason = new TreeMap<>();
      if (bad != null) {
        for (Row r : bad.groupBy("reason").count().collectAsList()) {
          byReason.put(r.getString(0), r.getLong(1));
        }
      }
      long toQuarantine = byReason.values().stream().mapToLong(Long::longValue).sum();
      counts.put("event_time_out_of_range", byReason.getOrDefault(EventTimeGuard.REASON, 0L));
      counts.put(
          "quarantined",
          append(Tables.QUARANTINE, toQuarantine == 0 ? null : bad, quarantineEnd, Map.of()));

      Map<String, String> labelProps = new HashMap<>();
      Dataset<Row> newLabels = null;
      BatchStats labelStats = null;
      if (labels != null) {
        Dataset<Row> good = newFor(labels.filter(col("reason").isNull()), labelTopic, rawLabelPos);
        labelStats = BatchStats.of(good, "occurred_at");
        Dataset<Row> out =
            Dedup.firstNewCopies(
                    good,
                    "event_id",
                    "occurred_at",
                    labelStats,
                    tables.readAt(Tables.RAW_LABELS, base.get(Tables.RAW_LABELS)))
                .select(
                    col("event_id"),
                    col("label_name"),
                    col("value"),
                    col("occurred_at"),
                    col("prediction_id"),
                    col("entity_keys"),
                    col("kafka_partition"),
                    col("kafka_offset"),
                    current_timestamp().as("ingested_at"));
        long decoded = labelStats.rows();
        counts.put("late_labels", lateLabels(out, labelBounds));
        Map<String, Long> progress = new TreeMap<>(previousProgress());
        labelStats.latestByPartition().forEach((p, t) -> progress.merge(p, t, Math::max));
        labelProps.put(Tables.LABEL_PROGRESS, Tables.json(progress));
        long written = append(Tables.RAW_LABELS, out, labelEnd, labelProps);
        counts.put("labels_read", decoded);
        counts.put("labels_written", written);
        newLabels = out;
        counts.put("label_duplicates_dropped", decoded - written);
      } else {
        append(
            Tables.RAW_LABELS,
            null,
            labelEnd,
            Map.of(Tables.LABEL_PROGRESS, Tables.json(previousProgress())));
        counts.put("labels_read", 0L);
        counts.put("labels_written", 0L);
        counts.put("label_duplicates_dropped", 0L);
        counts.put("late_labels", 0L);
      }

      Dataset<Row> newPredictions = null;
      if (preds != null) {
        Dataset<Row> good = newFor(preds.filter(col("reason").isNull()), predTopic, rawPredPos);
        List<Column> cols = new ArrayList<>();
        for (String c : good.columns()) {
          if (!List.of("raw_key", "raw_value", "topic", "kafka_timestamp", "reason", "detail")
              .contains(c)) {
            cols.add(col(c));
          }
        }
        cols.add(current_timestamp().as("ingested_at"));
        BatchStats stats = BatchStats.of(good, "served_at");
        Dataset<Row> out =
            Dedup.firstNewCopies(
                    good,
                    "prediction_id",
                    "served_at",
                    stats,
                    tables.readAt(Tables.RAW_PREDICTIONS, base.get(Tables.RAW_PREDICTIONS)))
                .select(cols.toArray(Column[]::new));
        long decoded = stats.rows();
        long written = append(Tables.RAW_PREDICTIONS, out, predEnd, Map.of());
        newPredictions = written == 0 ? null : out;
        counts.put("predictions_read", decoded);
        counts.put("predictions_written", written);
        counts.put("prediction_duplicates_dropped", decoded - written);
      } else {
        append(Tables.RAW_PREDICTIONS, null, predEnd, Map.of());
        counts.put("predictions_read", 0L);
        counts.put("predictions_written", 0L);
        counts.put("prediction_duplicates_dropped", 0L);
      }
      // After the predictions' commit, so that a label and its prediction in one batch match.
      counts.put("orphan_labels", newLabels == null ? 0L : orphans(newLabels, labelStats));
      Result result =
          new Result(
              counts,
              predEnd,
              labelEnd,
              loss,
              problems,
              newPredictions,
              base.get(Tables.RAW_PREDICTIONS),
              release);
      done = true;
      return result;
    } finally {
      if (!done) {
        release.run();
      }
    }
  }

  /**
   * New label events of a configured label whose time lies before the watermark of earlier runs:
   * windows they may belong to could already be finalized. They are kept in raw_labels.
   */
  private long lateLabels(Dataset<Row> newLabels, Map<Integer, long[]> labelBounds) {
    var previous =
        dev.logwait.joiner.join.LabelWatermark.compute(
            previousProgress(), labelBounds.keySet(), config.allowedLateness());
    if (!previous.known()) {
      return 0;
    }
    Object[] names = config.labels().stream().map(l -> l.name()).toArray();
    return newLabels
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
  private long orphans(Dataset<Row> newLabels, BatchStats range) {
    if (range.earliest() == null) {
      return 0;
    }
    Dataset<Row> named = newLabels.filter(col("prediction_id").isNotNull());
    java.sql.Timestamp from =
        new java.sql.Timestamp(range.earliest().getTime() - config.longestWindow().toMillis());
    Dataset<Row> served =
        spark
            .table(tables.name(Tables.RAW_PREDICTIONS))
            .filter(col("served_at").between(from, range.latest()))
            .select(col("prediction_id").as("_pid"), unix_micros(col("served_at")).as("_at"));
    long longest = config.longestWindow().toNanos() / 1000;
    Column at = unix_micros(named.col("occurred_at"));
    return named
        .join(
            served,
            named
                .col("prediction_id")
                .equalTo(served.col("_pid"))
                .and(served.col("_at").leq(at))
                .and(served.col("_at").gt(at.minus(longest))),
            "left_anti")
        .count();
  }

  private Map<String, Long> previousProgress() {
    String json =
        tables
            .iceberg(Tables.RAW_LABELS)
            .snapshot(base.get(Tables.RAW_LABELS))
            .summary()
            .get(Tables.LABEL_PROGRESS);
    return json == null ? Map.of() : Tables.readLongMap(json);
  }

  /** Commits rows (or only the position) with the complete offset map in the snapshot. */
  private long append(
      String table, Dataset<Row> rows, Map<String, Long> offsets, Map<String, String> extra) {
    Map<String, String> props = new LinkedHashMap<>(extra);
    props.put(Tables.OFFSETS, Tables.json(offsets));
    props.put(Tables.RUN_ID, runId);
    CrashPoints.reached("before-commit-" + table);
    long added = tables.commit(table, base.get(table), rows, props).rows();
    CrashPoints.reached("after-commit-" + table);
    return added;
  }

  /** Rows of {@code topic} at or past the table's own position in each partition. */
  private static Dataset<Row> newFor(Dataset<Row> d, String topic, Map<String, Long> position) {
    return d.filter(PositionKey.atOrPast(position, topic));
  }

  private Map<Integer, Long> start(
      String topic,
      Map<Integer, long[]> bounds,
      List<Map<String, Long>> positions,
      Map<String, Long> loss) {
    Map<Integer, Long> out = new TreeMap<>();
    for (Map.Entry<Integer, long[]> b : bounds.entrySet()) {
      String key = PositionKey.of(topic, b.getKey());
      long from = Long.MAX_VALUE;
      for (Map<String, Long> p : positions) {
        from = Math.min(from, p.getOrDefault(key, 0L));
      }
      long earliest = b.getValue()[0];
      if (from < earliest) {
        loss.put(key, earliest - from);
        from = earliest;
      }
      out.put(b.getKey(), from);
    }
    return out;
  }

  private static Map<String, Long> ends(
      String topic, Map<Integer, long[]> bounds, Map<String, Long> previous) {
    Map<String, Long> out = new TreeMap<>(previous);
    bounds.forEach((p, b) -> out.put(PositionKey.of(topic, p), b[1]));
    return out;
  }

  private java.util.Optional<Dataset<Row>> read(
      String topic, Map<Integer, Long> start, Map<Integer, long[]> bounds) {
    Map<String, Long> from = new TreeMap<>();
    Map<String, Long> until = new TreeMap<>();
    long total = 0;
    for (Map.Entry<Integer, Long> e : start.entrySet()) {
      long end = bounds.get(e.getKey())[1];
      if (end > e.getValue()) {
        from.put(String.valueOf(e.getKey()), e.getValue());
        until.put(String.valueOf(e.getKey()), end);
        total += end - e.getValue();
      }
    }
    if (total == 0) {
      return java.util.Optional.empty();
    }
    DataFrameReader r =
        spark
            .read()
            .format("kafka")
            .option("kafka.bootstrap.servers", config.get(ConfigKey.BOOTSTRAP_SERVERS))
            .option(
                "assign",
                Tables.json(
                    Map.of(
                        topic,
                        new ArrayList<>(from.keySet().stream().map(Integer::valueOf).toList()))))
            .option("startingOffsets", Tables.json(Map.of(topic, from)))
            .option("endingOffsets", Tables.json(Map.of(topic, until)))
            .option("failOnDataLoss", "true");
    for (Map.Entry<String, String> e : FETCH_DEFAULTS.entrySet()) {
      r = r.option("kafka." + e.getKey(), e.getValue());
    }
    for (Map.Entry<String, String> e : config.withPrefix(ConfigKey.KAFKA_PROPERTIES).entrySet()) {
      r = r.option("kafka." + e.getKey(), e.getValue());
    }
    return java.util.Optional.of(r.load());
  }
}
