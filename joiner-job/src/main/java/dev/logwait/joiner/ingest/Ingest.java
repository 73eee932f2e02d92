package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.col;

import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.kafka.Positions;
import dev.logwait.joiner.semantics.EventTimeGuard;
import dev.logwait.joiner.semantics.Watermark;
import dev.logwait.joiner.table.BranchCommit;
import dev.logwait.joiner.table.LabelProgress;
import dev.logwait.joiner.table.Progress;
import dev.logwait.joiner.table.Tables;
import dev.logwait.joiner.table.Tombstones;
import dev.logwait.schema.SchemaTopic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Reads new Kafka records in batch with explicit offset ranges and appends them, exactly once, to
 * {@code quarantine}, {@code raw_labels} and {@code raw_predictions}, in that order (a message is
 * never lost between a failed decode and a commit). Each table's snapshot carries its own complete
 * position; see {@link ReadPlan}.
 */
public final class Ingest {
  private final SparkSession spark;
  private final JoinerConfig config;
  private final Tables tables;
  private final BranchCommit commits;
  private final String runId;
  private final String predTopic;
  private final String labelTopic;
  private final CompletableFuture<SchemaTopic.Contents> schemaRead;

  /**
   * The decoded, cached records of both topics (null where a topic has none), with what each holds
   * ({@link BatchCensus}; null likewise).
   */
  private record Batch(
      Dataset<Row> predictions,
      BatchCensus predictionCensus,
      Dataset<Row> labels,
      BatchCensus labelCensus) {
    void release() {
      if (predictions != null) {
        predictions.unpersist();
      }
      if (labels != null) {
        labels.unpersist();
      }
    }
  }

  /**
   * What one raw table's append read and wrote, and the table's snapshot after it; {@code stats} of
   * the rows read (or null).
   */
  private record Appended(
      long read,
      long written,
      Map<String, Long> dropped,
      Positions position,
      Dataset<Row> rows,
      BatchStats stats,
      long snapshot) {}

  /**
   * An ingest whose writer schemas come from {@code schemaRead} ({@link Sources#readSchemas},
   * started early so that its Kafka round trips overlap the table set-up); {@link #run} waits for
   * it.
   */
  public Ingest(
      SparkSession spark,
      JoinerConfig config,
      Tables tables,
      String runId,
      CompletableFuture<SchemaTopic.Contents> schemaRead) {
    this.spark = spark;
    this.config = config;
    this.tables = tables;
    this.commits = new BranchCommit(tables, runId);
    this.runId = runId;
    this.predTopic = config.get(ConfigKey.PREDICTIONS_TOPIC);
    this.labelTopic = config.get(ConfigKey.LABELS_TOPIC);
    this.schemaRead = schemaRead;
  }

  /** Plans the read, reads and decodes, quarantines, appends labels, appends predictions. */
  public IngestResult run(boolean acceptDataLoss) {
    Sources sources = Sources.read(schemaRead, config);
    ReadPlan plan = ReadPlan.of(tables, sources, predTopic, labelTopic);
    if (!plan.loss().isEmpty() && !acceptDataLoss) {
      throw DataLossException.of(plan.loss());
    }
    Batch batch = read(sources, plan);
    try {
      Map<String, Long> quarantined = quarantine(batch, plan, sources);
      Map<String, Long> progress = previousProgress(plan);
      Map<String, NewRows> taken = newRows(batch, plan);
      Appended labels =
          appendLabels(
              batch.labels(),
              batch.labelCensus(),
              taken.get(Tables.RAW_LABELS),
              plan,
              sources,
              progress);
      Appended preds =
          appendPredictions(
              batch.predictions(),
              batch.predictionCensus(),
              taken.get(Tables.RAW_PREDICTIONS),
              plan,
              sources);
      IngestResult.NewLabels newLabels =
          labels.rows() == null
              ? null
              : new IngestResult.NewLabels(
                  labels.rows(), labels.stats().earliest(), labels.stats().latest(), progress);
      return new IngestResult(
          new IngestResult.Counts(
              quarantined.getOrDefault(EventTimeGuard.REASON, 0L),
              quarantined.values().stream().mapToLong(Long::longValue).sum(),
              labels.read(),
              labels.written(),
              labels.dropped(),
              preds.read(),
              preds.written(),
              preds.dropped()),
          preds.position(),
          labels.position(),
          plan.loss(),
          sources.problems(),
          preds.written() == 0 ? null : preds.rows(),
          plan.base(Tables.RAW_PREDICTIONS),
          preds.snapshot(),
          newLabels,
          sources.labelBounds(),
          batch::release);
    } catch (Exception e) { // SparkException is checked, though Scala code throws it undeclared
      batch.release();
      throw e;
    }
  }

  /**
   * Reads and decodes both topics into the cache; the job that fills each cache also counts what it
   * holds ({@link BatchCensus}), so no other pass is needed before the writes.
   */
  private Batch read(Sources sources, ReadPlan plan) {
    EventTimeGuard guard = config.eventTimeGuard();
    long now = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
    long started = System.nanoTime();
    Dataset<Row> preds =
        KafkaRead.range(
                spark, config, predTopic, plan.predictionsFrom(), sources.predictionBounds())
            .map(k -> Decoder.predictions(k, sources.predictionWriters(), guard, now))
            .map(d -> d.persist(StorageLevel.MEMORY_AND_DISK()))
            .orElse(null);
    Dataset<Row> labels =
        KafkaRead.range(spark, config, labelTopic, plan.labelsFrom(), sources.labelBounds())
            .map(k -> Decoder.labels(k, sources.labelWriters(), guard, now))
            .map(d -> d.persist(StorageLevel.MEMORY_AND_DISK()))
            .orElse(null);
    // one job reads and decodes both topics into the cache and counts what each holds
    List<BatchCensus.Part> parts = new java.util.ArrayList<>();
    if (preds != null) {
      parts.add(part(preds, predTopic, "served_at", plan.rawPredictions(), plan));
    }
    if (labels != null) {
      parts.add(part(labels, labelTopic, "occurred_at", plan.rawLabels(), plan));
    }
    List<BatchCensus> census = parts.isEmpty() ? List.of() : BatchCensus.of(parts);
    BatchCensus predCensus = preds == null ? null : census.get(0);
    BatchCensus labelCensus = labels == null ? null : census.get(census.size() - 1);
    if (!parts.isEmpty()) {
      Progress.done(
          started,
          "read and decoded {} prediction and {} label messages",
          predCensus == null ? 0 : predCensus.read(),
          labelCensus == null ? 0 : labelCensus.read());
    }
    return new Batch(preds, predCensus, labels, labelCensus);
  }

  private static BatchCensus.Part part(
      Dataset<Row> decoded, String topic, String time, Positions raw, ReadPlan plan) {
    return new BatchCensus.Part(
        decoded, time, raw.atOrPast(topic), plan.quarantine().atOrPast(topic));
  }

  /**
   * Commits the messages that could not be taken, with their reasons, and the quarantine's position
   * past both topics' ends. Returns the count per reason.
   */
  private Map<String, Long> quarantine(Batch batch, ReadPlan plan, Sources sources) {
    Dataset<Row> bad = null;
    if (batch.predictions() != null) {
      bad = QuarantineRows.of(batch.predictions(), plan.quarantine().atOrPast(predTopic), runId);
    }
    if (batch.labels() != null) {
      Dataset<Row> q =
          QuarantineRows.of(batch.labels(), plan.quarantine().atOrPast(labelTopic), runId);
      bad = bad == null ? q : bad.unionByName(q);
    }
    // Counted when the batch was read: most runs have nothing to quarantine, and then only the
    // position is committed, without a write job.
    Map<String, Long> byReason = new LinkedHashMap<>();
    for (BatchCensus c : new BatchCensus[] {batch.predictionCensus(), batch.labelCensus()}) {
      if (c != null) {
        c.quarantine().forEach((reason, n) -> byReason.merge(reason, n, Long::sum));
      }
    }
    Positions end =
        plan.quarantine()
            .atEnds(predTopic, sources.predictionBounds())
            .atEnds(labelTopic, sources.labelBounds());
    append(Tables.QUARANTINE, byReason.isEmpty() ? null : bad, end, Map.of(), plan);
    return byReason;
  }

  /**
   * What each raw table takes of the batch (first copies, no tombstoned keys), both tables' rows to
   * leave out found by one job ({@link NewRows}); none for a table without decoded rows.
   */
  private Map<String, NewRows> newRows(Batch batch, ReadPlan plan) {
    List<String> names = new java.util.ArrayList<>();
    List<NewRows.Input> inputs = new java.util.ArrayList<>();
    Tombstones tombstones = new Tombstones(spark, tables);
    if (taking(batch.labels(), batch.labelCensus())) {
      BatchStats stats = batch.labelCensus().taken();
      names.add(Tables.RAW_LABELS);
      inputs.add(
          new NewRows.Input(
              good(batch.labels(), plan.rawLabels(), labelTopic),
              "event_id",
              "occurred_at",
              stats,
              tombstones.forLabels(),
              tables.readAt(Tables.RAW_LABELS, plan.base(Tables.RAW_LABELS))));
    }
    if (taking(batch.predictions(), batch.predictionCensus())) {
      BatchStats stats = batch.predictionCensus().taken();
      names.add(Tables.RAW_PREDICTIONS);
      inputs.add(
          new NewRows.Input(
              good(batch.predictions(), plan.rawPredictions(), predTopic),
              "prediction_id",
              "served_at",
              stats,
              tombstones.forPredictions(stats.earliest(), stats.latest()),
              tables.readAt(Tables.RAW_PREDICTIONS, plan.base(Tables.RAW_PREDICTIONS))));
    }
    Map<String, NewRows> out = new java.util.HashMap<>();
    if (!inputs.isEmpty()) {
      List<NewRows> taken = NewRows.of(inputs);
      for (int i = 0; i < names.size(); i++) {
        out.put(names.get(i), taken.get(i));
      }
    }
    return out;
  }

  private static boolean taking(Dataset<Row> decoded, BatchCensus census) {
    return decoded != null && census.taken().rows() > 0;
  }

  /** The batch's decoded rows past the table's own position. */
  private static Dataset<Row> good(Dataset<Row> decoded, Positions position, String topic) {
    return decoded.filter(col("reason").isNull()).filter(position.atOrPast(topic));
  }

  private Map<String, Long> previousProgress(ReadPlan plan) {
    return LabelProgress.in(tables.summaryAt(Tables.RAW_LABELS, plan.base(Tables.RAW_LABELS)));
  }

  /** Appends new label events (first copy of each {@code event_id}) and the label progress. */
  private Appended appendLabels(
      Dataset<Row> labels,
      BatchCensus census,
      NewRows taken,
      ReadPlan plan,
      Sources sources,
      Map<String, Long> progress) {
    return appendNew(
        labels,
        census,
        taken,
        Tables.RAW_LABELS,
        plan.rawLabels().atEnds(labelTopic, sources.labelBounds()),
        stats ->
            LabelProgress.property(
                stats == null ? progress : Watermark.advance(progress, stats.latestByPartition())),
        plan);
  }

  /**
   * Appends new predictions (first copy of each {@code prediction_id}), their writer schemas
   * recorded in the table first.
   */
  private Appended appendPredictions(
      Dataset<Row> preds, BatchCensus census, NewRows taken, ReadPlan plan, Sources sources) {
    if (preds != null) {
      FeatureDecode.record(tables, sources.predictionWriters());
    }
    return appendNew(
        preds,
        census,
        taken,
        Tables.RAW_PREDICTIONS,
        plan.rawPredictions().atEnds(predTopic, sources.predictionBounds()),
        stats -> Map.of(),
        plan);
  }

  /**
   * Appends a decoded batch's rows that were taken, past the table's own position, first copy of
   * each {@code key} (by partition and offset) not already in the table, without the Kafka-only
   * columns; or, without a batch, commits only the new position.
   *
   * @param taken what the table takes of the batch ({@link #newRows}; null when nothing)
   * @param extra snapshot properties from the batch's statistics (null without a batch)
   */
  private Appended appendNew(
      Dataset<Row> decoded,
      BatchCensus census,
      NewRows taken,
      String table,
      Positions end,
      Function<BatchStats, Map<String, String>> extra,
      ReadPlan plan) {
    if (decoded == null) {
      long head = append(table, null, end, extra.apply(null), plan).snapshotId();
      return new Appended(0, 0, Map.of(), end, null, null, head);
    }
    BatchStats stats = census.taken();
    if (taken == null) {
      // Nothing decoded (e.g. no writer schema known at all, so the columns are untyped): only
      // the position moves.
      long head = append(table, null, end, extra.apply(stats), plan).snapshotId();
      return new Appended(0, 0, Map.of(), end, null, stats, head);
    }
    Dataset<Row> out = taken.rows().select(RawColumns.of(decoded, table));
    BranchCommit.Committed done = append(table, out, end, extra.apply(stats), plan);
    return new Appended(
        stats.rows(), done.rows(), taken.dropped(), end, out, stats, done.snapshotId());
  }

  /**
   * Commits rows (or only the position) with the complete position in the snapshot; without new
   * messages in any partition, nothing ({@link BranchCommit#commit}).
   */
  private BranchCommit.Committed append(
      String table, Dataset<Row> rows, Positions end, Map<String, String> extra, ReadPlan plan) {
    Map<String, String> props = new LinkedHashMap<>(extra);
    props.putAll(Tables.positionProperty(end));
    return commits.commit(table, plan.base(table), rows, props);
  }
}
