package dev.logwait.joiner.join;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.ingest.FeatureDecode;
import dev.logwait.joiner.kafka.KafkaOffsets;
import dev.logwait.joiner.kafka.OffsetBounds;
import dev.logwait.joiner.kafka.Positions;
import dev.logwait.joiner.semantics.Dedup;
import dev.logwait.joiner.semantics.Watermark;
import dev.logwait.joiner.table.BranchCommit;
import dev.logwait.joiner.table.LabelProgress;
import dev.logwait.joiner.table.Progress;
import dev.logwait.joiner.table.TableDdl;
import dev.logwait.joiner.table.Tables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Finalizes every ingested prediction whose label windows have closed at the label watermark and
 * that is not yet in its training table (late predictions included), and writes it once.
 *
 * <p>Only predictions that can still be open are read: each training snapshot records the earliest
 * serving time still open after it ({@link StillOpen#OPEN_FROM}) and the raw table's position it
 * had considered ({@link StillOpen#RAW_POSITION}); every prediction not yet finalized was served
 * after the one, or appended past the other.
 */
public final class Join {
  /** Snapshot property on training tables: the label watermark the rows were finalized at. */
  static final String CUTOFF = "logwait.cutoff";

  private final SparkSession spark;
  private final JoinerConfig config;
  private final Tables tables;
  private final BranchCommit commits;
  private final long longest;
  private final Restatement restatement;

  /** What a join did; {@code health} is per feature set, label and model. */
  public record Result(Watermark watermark, Map<String, Long> counts, Map<String, Object> health) {}

  /**
   * Rows a run just appended to {@code raw_predictions} on top of snapshot {@code rawBase}, held in
   * memory (or null), with the table's snapshot ({@code rawHead}) and complete position after that
   * append, and the labels topic's partitions the run read.
   */
  public record Batch(
      Dataset<Row> rows,
      long rawBase,
      long rawHead,
      Positions rawPosition,
      Map<Integer, OffsetBounds> labelBounds) {}

  /**
   * What every feature set's join reads: the stored predictions (of {@code raw_predictions} at
   * {@code rawSnapshot}, plus the batch: together the table at {@code rawConsidered}) and the label
   * events (of {@code raw_labels} at {@code labelsSnapshot}).
   */
  private record Inputs(
      Dataset<Row> raw,
      long rawSnapshot,
      long rawConsidered,
      Positions rawPosition,
      Dataset<Row> labels,
      long labelsSnapshot,
      boolean broadcastLabels,
      Dataset<Row> batch) {}

  /** What one feature set's join wrote: new rows, and earlier rows restated. */
  private record Written(long rows, long restated) {}

  public Join(SparkSession spark, JoinerConfig config, Tables tables, String runId) {
    this.spark = spark;
    this.config = config;
    this.tables = tables;
    this.commits = new BranchCommit(tables, runId);
    this.longest = TimeUnit.MICROSECONDS.convert(config.longestWindow());
    this.restatement = new Restatement(spark, config, tables);
  }

  /** Finalizes from the table alone. */
  public Result run() {
    return run(null);
  }

  /**
   * Finalizes predictions from {@code raw_predictions}, or, with a batch, from the table as of the
   * batch's base plus the batch itself (the same rows, without reading them back).
   */
  public Result run(Batch batch) {
    Map<String, String> labelSummary = tables.summary(Tables.RAW_LABELS);
    Watermark wm = watermark(labelSummary, batch);
    Map<String, Long> counts = new LinkedHashMap<>();
    Map<String, Object> health = new TreeMap<>();
    if (!wm.known()) {
      counts.put("finalized", 0L);
      return new Result(wm, counts, health);
    }
    Inputs in = inputs(labelSummary, batch);
    long finalized = 0;
    long restated = 0;
    FeatureDecode features = FeatureDecode.of(tables);
    for (String set : features.featureSets()) {
      Written n = finalize(set, features, wm, in, health);
      counts.put("finalized_" + set, n.rows());
      finalized += n.rows();
      if (n.restated() > 0) {
        counts.put("restated_" + set, n.restated());
      }
      restated += n.restated();
    }
    counts.put("finalized", finalized);
    if (!config.restatedLabels().isEmpty()) {
      counts.put("restated", restated);
    }
    return new Result(wm, counts, health);
  }

  private Watermark watermark(Map<String, String> labelSummary, Batch batch) {
    Map<Integer, OffsetBounds> bounds =
        batch != null
            ? batch.labelBounds()
            : KafkaOffsets.bounds(config.kafkaClientProps(), config.get(ConfigKey.LABELS_TOPIC));
    return LabelClock.watermark(config, LabelProgress.in(labelSummary), bounds);
  }

  private Inputs inputs(Map<String, String> labelSummary, Batch batch) {
    String labelRows = labelSummary.get(SnapshotSummary.TOTAL_RECORDS_PROP);
    boolean broadcast =
        labelRows != null && Long.parseLong(labelRows) <= TrainingRows.BROADCAST_MAX_LABELS;
    long labelsSnapshot = tables.snapshotId(Tables.RAW_LABELS);
    Dataset<Row> labels = tables.readAt(Tables.RAW_LABELS, labelsSnapshot);
    if (batch == null || batch.rows() == null) {
      long current = tables.snapshotId(Tables.RAW_PREDICTIONS);
      return new Inputs(
          tables.readAt(Tables.RAW_PREDICTIONS, current),
          current,
          current,
          tables.position(Tables.RAW_PREDICTIONS, current),
          labels,
          labelsSnapshot,
          broadcast,
          null);
    }
    return new Inputs(
        tables.readAt(Tables.RAW_PREDICTIONS, batch.rawBase()),
        batch.rawBase(),
        batch.rawHead(),
        batch.rawPosition(),
        labels,
        labelsSnapshot,
        broadcast,
        batch.rows());
  }

  /**
   * Finalizes one feature set's closed predictions into its training table and, where label specs
   * restate, rewrites the rows that late labels changed, in one commit.
   */
  private Written finalize(
      String set, FeatureDecode features, Watermark wm, Inputs in, Map<String, Object> health) {
    String training = Tables.TRAINING_PREFIX + set;
    Snapshot current = tables.exists(training) ? tables.ensureSnapshot(training) : null;
    Restatement.Plan restate =
        current == null
            ? new Restatement.Plan(null, 0, List.of(), restatement.marks(in.labelsSnapshot()))
            : restatement.plan(training, current, in.labelsSnapshot());
    if (current != null
        && in.batch() == null
        && !restate.any()
        && unchanged(training, current, wm, in)) {
      return new Written(0, 0); // what the last join saw: nothing can have closed since
    }
    Map<String, String> last = current == null ? Map.of() : tables.summaryOf(training, current);
    Dataset<Row> pending = pending(set, features, wm, in, last);
    // Only labels and training rows from the earliest pending serving time on: prunes the day
    // partitions of raw_labels and of the training table.
    Row earliest = pending.agg(min("served_at")).first();
    if (earliest.isNullAt(0) && !restate.any()) {
      return new Written(0, 0);
    }
    Dataset<Row> rows = null;
    if (!earliest.isNullAt(0)) {
      if (current != null) {
        Dataset<Row> written =
            tables
                .readAt(training, current.snapshotId())
                .filter(col("served_at").geq(earliest.get(0)))
                .select("prediction_id");
        pending = Dedup.withoutKeys(pending, "prediction_id", written);
      }
      // decoded once, only the rows that are written
      pending = features.withFeatures(pending, set);
      Dataset<Row> events = in.labels().filter(col("occurred_at").geq(earliest.get(0)));
      // Not cached: the rows are computed once, by the write; the health figures are read back
      // from what was committed (a few narrow columns).
      rows =
          TrainingRows.build(pending, events, config.labels(), set, in.broadcastLabels())
              .withColumn("finalized_at", current_timestamp())
              .withColumn(Restatement.REVISION, lit(0))
              .withColumn(Restatement.RESTATED_AT, lit(null).cast("timestamp"));
    }
    long base =
        current == null
            ? new TableDdl(spark, tables).createTraining(training, rows)
            : current.snapshotId();
    Map<String, String> marks = new LinkedHashMap<>(marks(wm, in.rawPosition()));
    marks.put(StillOpen.RAW_SNAPSHOT, String.valueOf(in.rawConsidered()));
    marks.putAll(restate.marks());
    BranchCommit.Committed committed =
        commits.commit(
            training,
            base,
            restate.any() ? (branch, props) -> restatement.merge(restate, branch, props) : null,
            rows,
            marks);
    if (committed.rows() > 0) {
      long t = System.nanoTime();
      // the rows this commit appended, by its snapshot (a MERGE of the same commit appends none)
      Dataset<Row> finalized = tables.appendedBy(training, committed.snapshotId());
      health.put(set, new JoinHealth(spark, config, tables).ofRows(finalized));
      Progress.done(t, "join health of {}", set);
    }
    return new Written(committed.rows(), restate.rows());
  }

  /**
   * The set's stored and batch predictions that may be open, and have closed at {@code wm}: their
   * envelope and what their features decode from ({@link FeatureDecode#sources}).
   */
  private Dataset<Row> pending(
      String set, FeatureDecode features, Watermark wm, Inputs in, Map<String, String> lastJoin) {
    Dataset<Row> stored = in.raw().filter(col("feature_set").equalTo(set));
    Column open = StillOpen.filter(lastJoin, config.get(ConfigKey.PREDICTIONS_TOPIC));
    Long requeued =
        StillOpen.requeuedSince(tables, lastJoin.get(StillOpen.RAW_SNAPSHOT), in.rawSnapshot());
    if (open != null && requeued != null) {
      open = open.or(col("served_at").geq(Watermark.instant(requeued)));
    }
    if (open != null) {
      stored = stored.filter(open);
    }
    List<Column> needed = new ArrayList<>();
    TrainingRows.INPUT.forEach(c -> needed.add(col(c)));
    needed.addAll(features.sources(set));
    Column closed = wm.finalized(col("served_at"), longest);
    Dataset<Row> candidates =
        features.withSources(stored.filter(closed), set).select(needed.toArray(Column[]::new));
    if (in.batch() != null) {
      Dataset<Row> batch = in.batch().filter(col("feature_set").equalTo(set)).filter(closed);
      candidates =
          candidates.unionByName(
              features.withSources(batch, set).select(needed.toArray(Column[]::new)));
    }
    return candidates;
  }

  /**
   * Whether the training table's last join saw exactly this: the same watermark and window, and the
   * same snapshot of {@code raw_predictions} (no prediction appended or requeued since). Then every
   * prediction that has closed was finalized by it, and a join would scan for nothing.
   */
  private boolean unchanged(String table, Snapshot training, Watermark wm, Inputs in) {
    Map<String, String> last = tables.summaryOf(table, training);
    return String.valueOf(wm.micros()).equals(last.get(CUTOFF))
        && String.valueOf(wm.openFrom(longest)).equals(last.get(StillOpen.OPEN_FROM))
        && String.valueOf(in.rawConsidered()).equals(last.get(StillOpen.RAW_SNAPSHOT));
  }

  /** What a training snapshot records of the join that wrote it. */
  private Map<String, String> marks(Watermark wm, Positions rawPosition) {
    return Map.of(
        CUTOFF,
        String.valueOf(wm.micros()),
        StillOpen.OPEN_FROM,
        String.valueOf(wm.openFrom(longest)),
        StillOpen.RAW_POSITION,
        rawPosition.toJson());
  }
}
