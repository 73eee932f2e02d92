package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.unix_micros;

import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.semantics.Dedup;
import dev.logwait.joiner.table.BranchCommit;
import dev.logwait.joiner.table.LabelProgress;
import dev.logwait.joiner.table.RowUpdates;
import dev.logwait.joiner.table.Tables;
import dev.logwait.schema.SchemaTopic;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code joiner requeue}: decodes unresolved quarantined messages again, with the writer schemas
 * the schemas topic holds now and the current configuration, after their cause was fixed (a feature
 * set's schema that reached the schemas topic late, a skew limit set too tight). Those that now
 * decode are appended to their raw table, first copy of each key not already there, and their
 * quarantine rows are marked resolved ({@code resolved_at}, {@code resolved_by}); the rest stay,
 * counted by reason.
 *
 * <p>Two commits, in that order, each through {@link BranchCommit}, carrying the tables' positions
 * unchanged: a requeue that dies between them is completed by the next one (the rows it appended
 * are found in the raw table and not appended again), so a message lands once. Requeued predictions
 * record their earliest serving time ({@link #REQUEUED_FROM}), so the next join looks at them
 * although they lie behind its incremental bounds.
 */
public final class Requeue {
  /** Snapshot property on raw_predictions: the earliest serving time (micros) a requeue added. */
  public static final String REQUEUED_FROM = "logwait.requeued-served-from";

  /**
   * @param reason only quarantine rows of this reason (null: every reason)
   * @param from quarantined at or after (null: any time)
   * @param to quarantined before (null: any time)
   */
  public record Options(String reason, Instant from, Instant to) {}

  /**
   * What a requeue did: {@code requeued} messages landed in the raw tables, {@code alreadyPresent}
   * decoded but were there already (both are marked resolved), {@code remaining} per reason.
   */
  public record Summary(
      long considered, long requeued, long alreadyPresent, Map<String, Long> remaining) {}

  private final SparkSession spark;
  private final JoinerConfig config;
  private final Tables tables;
  private final PrintStream out;
  private final String id =
      "requeue-" + Instant.now() + "-" + UUID.randomUUID().toString().substring(0, 8);

  public Requeue(SparkSession spark, JoinerConfig config, PrintStream out) {
    this.spark = spark;
    this.config = config;
    this.tables = new Tables(spark, config);
    this.out = out;
  }

  /** Requeues the unresolved quarantine rows that match {@code o}. */
  public Summary run(Options o) {
    new dev.logwait.joiner.table.TableDdl(spark, tables).createIfMissing();
    long quarantineBase = tables.snapshotId(Tables.QUARANTINE);
    Dataset<Row> q =
        tables.readAt(Tables.QUARANTINE, quarantineBase).filter(col("resolved_at").isNull());
    if (o.reason() != null) {
      q = q.filter(col("reason").equalTo(o.reason()));
    }
    if (o.from() != null) {
      q = q.filter(col("ingested_at").geq(Timestamp.from(o.from())));
    }
    if (o.to() != null) {
      q = q.filter(col("ingested_at").lt(Timestamp.from(o.to())));
    }
    Dataset<Row> kafka =
        q.select(
                col("key"),
                col("value"),
                col("topic"),
                col("kafka_partition").as("partition"),
                col("kafka_offset").as("offset"),
                col("kafka_timestamp").as("timestamp"))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long considered = kafka.count();
      out.printf("[logwait] requeue: %,d quarantined messages to decode again%n", considered);
      Sources sources =
          Sources.read(
              CompletableFuture.completedFuture(
                  SchemaTopic.readAll(
                      config.kafkaClientProps(),
                      config.get(ConfigKey.SCHEMAS_TOPIC),
                      Duration.ofMinutes(2))),
              config);
      long now = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
      Dataset<Row> preds =
          Decoder.predictions(
                  kafka.filter(col("topic").equalTo(config.get(ConfigKey.PREDICTIONS_TOPIC))),
                  sources.predictionWriters(),
                  config.eventTimeGuard(),
                  now)
              .persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> labels =
          Decoder.labels(
                  kafka.filter(col("topic").equalTo(config.get(ConfigKey.LABELS_TOPIC))),
                  sources.labelWriters(),
                  config.eventTimeGuard(),
                  now)
              .persist(StorageLevel.MEMORY_AND_DISK());
      try {
        FeatureDecode.record(tables, sources.predictionWriters());
        long[] p = append(preds, Tables.RAW_PREDICTIONS, "prediction_id", "served_at");
        long[] l = append(labels, Tables.RAW_LABELS, "event_id", "occurred_at");
        Dataset<Row> resolved =
            preds
                .filter(col("reason").isNull())
                .select("topic", "kafka_partition", "kafka_offset")
                .union(
                    labels
                        .filter(col("reason").isNull())
                        .select("topic", "kafka_partition", "kafka_offset"));
        resolve(resolved, quarantineBase);
        Map<String, Long> remaining = new TreeMap<>();
        for (Dataset<Row> d : List.of(preds, labels)) {
          for (Row r :
              d.filter(col("reason").isNotNull()).groupBy("reason").count().collectAsList()) {
            remaining.merge(r.getString(0), r.getLong(1), Long::sum);
          }
        }
        Summary s = new Summary(considered, p[0] + l[0], p[1] + l[1], remaining);
        out.printf(
            "[logwait] requeue: %,d landed in the raw tables, %,d were there already, %,d stay"
                + " quarantined %s%n",
            s.requeued(),
            s.alreadyPresent(),
            remaining.values().stream().mapToLong(Long::longValue).sum(),
            remaining);
        return s;
      } finally {
        preds.unpersist();
        labels.unpersist();
      }
    } finally {
      kafka.unpersist();
    }
  }

  /** Appends what now decodes; returns {landed, decoded but already present}. */
  private long[] append(Dataset<Row> decoded, String table, String key, String time) {
    Dataset<Row> good = decoded.filter(col("reason").isNull());
    BatchStats stats = BatchStats.of(good, time);
    if (stats.rows() == 0) {
      return new long[] {0, 0};
    }
    long base = tables.snapshotId(table);
    Dataset<Row> existing = tables.readAt(table, base);
    Dataset<Row> rows =
        Dedup.firstNewCopies(good, key, time, stats.earliest(), stats.latest(), existing)
            .select(RawColumns.of(good, table))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long n = rows.count();
      if (n == 0) {
        return new long[] {0, stats.rows()};
      }
      // The positions (and the label progress) stay as they were: requeued messages were read.
      Map<String, String> props = new LinkedHashMap<>();
      props.putAll(Tables.positionProperty(tables.position(table, base)));
      Map<String, String> summary = tables.summaryAt(table, base);
      if (table.equals(Tables.RAW_LABELS)) {
        props.putAll(LabelProgress.property(LabelProgress.in(summary)));
      } else {
        Row first = rows.agg(org.apache.spark.sql.functions.min(unix_micros(col(time)))).first();
        props.put(REQUEUED_FROM, String.valueOf(first.getLong(0)));
      }
      long landed = new BranchCommit(tables, id).commit(table, base, rows, props).rows();
      return new long[] {landed, stats.rows() - landed};
    } finally {
      rows.unpersist();
    }
  }

  /** Marks the quarantine rows of messages that now decode as resolved, by this requeue. */
  private void resolve(Dataset<Row> resolved, long base) {
    Dataset<Row> keys = RowUpdates.materialize(resolved);
    if (keys.isEmpty()) {
      return;
    }
    Map<String, String> props = Tables.positionProperty(tables.position(Tables.QUARANTINE, base));
    new BranchCommit(tables, id)
        .commit(
            Tables.QUARANTINE,
            base,
            (branch, snapshotProps) ->
                RowUpdates.merge(
                    keys,
                    branch,
                    "ON t.topic = s.topic AND t.kafka_partition = s.kafka_partition"
                        + " AND t.kafka_offset = s.kafka_offset"
                        + " WHEN MATCHED AND t.resolved_at IS NULL THEN UPDATE SET"
                        + " t.resolved_at = current_timestamp(), t.resolved_by = '"
                        + id
                        + "'",
                    snapshotProps),
            null,
            props);
  }
}
