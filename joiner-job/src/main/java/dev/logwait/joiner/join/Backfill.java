package dev.logwait.joiner.join;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.unix_micros;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.ingest.FeatureDecode;
import dev.logwait.joiner.kafka.KafkaOffsets;
import dev.logwait.joiner.semantics.Watermark;
import dev.logwait.joiner.table.BranchCommit;
import dev.logwait.joiner.table.LabelProgress;
import dev.logwait.joiner.table.TableDdl;
import dev.logwait.joiner.table.Tables;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.iceberg.SnapshotSummary;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code joiner backfill}: builds a table of training rows for one feature set from {@code
 * raw_predictions} and {@code raw_labels}, with the configuration's label specs (new or changed
 * ones included), for a serving-time range, by the rules of the incremental join: the same label
 * windows and aggregations ({@link TrainingRows}), and only predictions finalized at the label
 * watermark ({@link Watermark#finalized}).
 *
 * <p>The range is cut into chunks of serving time, each committed through {@link BranchCommit} with
 * the backfill's state ({@link #STATE}: the range, the configuration's hash, the pinned watermark
 * and raw snapshots, and the chunk done through). A killed backfill started again with the same
 * arguments continues after its last committed chunk and reads the same snapshots, so nothing is
 * written twice and the result equals an uninterrupted one.
 */
public final class Backfill {
  /** Snapshot property on the target: the backfill's parameters and progress, as JSON. */
  static final String STATE = "logwait.backfill";

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,127}");

  /**
   * @param featureSet the feature set whose predictions are backfilled (null: the only one)
   * @param into the target table (null: {@code backfill_<feature set>})
   * @param from earliest serving time, inclusive (null: the earliest stored)
   * @param to latest serving time, exclusive (null: up to what the watermark finalizes)
   * @param chunk serving time per commit
   */
  public record Options(String featureSet, String into, Instant from, Instant to, Duration chunk) {}

  /** What a backfill did. */
  public record Summary(
      String table, long rowsWritten, long rowsTotal, int chunksWritten, int chunks, long millis) {}

  private final SparkSession spark;
  private final JoinerConfig config;
  private final Tables tables;
  private final PrintStream out;

  public Backfill(SparkSession spark, JoinerConfig config, PrintStream out) {
    this.spark = spark;
    this.config = config;
    this.tables = new Tables(spark, config);
    this.out = out;
  }

  /** Runs (or continues) a backfill. */
  public Summary run(Options o) {
    long started = System.currentTimeMillis();
    if (!tables.exists(Tables.RAW_PREDICTIONS) || !tables.exists(Tables.RAW_LABELS)) {
      throw new ConfigException(
          "backfill: no raw tables in " + tables.namespace() + " yet; run `joiner ingest` first");
    }
    FeatureDecode features = FeatureDecode.of(tables);
    String set = features.choose(o.featureSet(), "backfill");
    String into = o.into() == null ? "backfill_" + set : o.into();
    checkTarget(into);
    BackfillState state = resumeOrStart(into, set, o);
    long from = state.from();
    long to = state.to();
    long chunk = state.chunk();
    long done = state.doneThrough();
    long longest = TimeUnit.MICROSECONDS.convert(config.longestWindow());

    Dataset<Row> preds =
        features
            .withSources(tables.readAt(Tables.RAW_PREDICTIONS, state.rawPredictions()), set)
            .filter(col("feature_set").equalTo(set))
            .filter(unix_micros(col("served_at")).geq(from))
            .filter(unix_micros(col("served_at")).lt(to))
            .filter(ingestedBy(state));
    Column chunkOf = floor(unix_micros(col("served_at")).minus(from).divide(chunk));
    Map<Long, Long> perChunk = new TreeMap<>();
    for (Row r : preds.groupBy(chunkOf.as("c")).count().collectAsList()) {
      perChunk.put(r.getLong(0), r.getLong(1));
    }
    long total = perChunk.values().stream().mapToLong(Long::longValue).sum();
    long before =
        perChunk.entrySet().stream()
            .filter(e -> from + (e.getKey() + 1) * chunk <= done)
            .mapToLong(Map.Entry::getValue)
            .sum();
    out.printf(
        "[logwait] backfill %s: %,d predictions of %s served %s to %s, in %d chunks of %s;"
            + " %,d already written%n",
        tables.name(into),
        total,
        set,
        Instant.ofEpochMilli(from / 1000),
        Instant.ofEpochMilli(to / 1000),
        perChunk.size(),
        Duration.ofNanos(chunk * 1000),
        before);
    Dataset<Row> labels =
        tables.readAt(Tables.RAW_LABELS, state.rawLabels()).filter(ingestedBy(state));
    BranchCommit commits = new BranchCommit(tables, "backfill-" + UUID.randomUUID());
    long written = 0;
    int chunksWritten = 0;
    long t0 = System.nanoTime();
    int index = 0;
    for (Map.Entry<Long, Long> e : perChunk.entrySet()) {
      index++;
      long start = from + e.getKey() * chunk;
      long end = Math.min(to, start + chunk);
      if (end <= done) {
        continue;
      }
      Dataset<Row> chunkPreds =
          preds
              .filter(unix_micros(col("served_at")).geq(start))
              .filter(unix_micros(col("served_at")).lt(end));
      Dataset<Row> events =
          labels
              .filter(unix_micros(col("occurred_at")).geq(start))
              .filter(unix_micros(col("occurred_at")).lt(end + longest));
      Dataset<Row> rows =
          TrainingRows.build(features.withFeatures(chunkPreds, set), events, config.labels(), set)
              .withColumn("finalized_at", current_timestamp())
              .withColumn(Restatement.REVISION, lit(0))
              .withColumn(Restatement.RESTATED_AT, lit(null).cast("timestamp"));
      long base =
          tables.exists(into)
              ? tables.ensureSnapshot(into).snapshotId()
              : new TableDdl(spark, tables).createTraining(into, rows);
      long n =
          commits.commit(into, base, rows, Map.of(STATE, state.doneThrough(end).json())).rows();
      written += n;
      chunksWritten++;
      long doneRows = before + written;
      double secs = (System.nanoTime() - t0) / 1e9;
      double eta = written == 0 ? 0 : secs * (total - doneRows) / written;
      out.printf(
          "[logwait] backfill: chunk %d of %d (%s): %,d rows; %,d of %,d (%d%%), %.0f s, ETA %.0f"
              + " s%n",
          index,
          perChunk.size(),
          Instant.ofEpochMilli(start / 1000),
          n,
          doneRows,
          total,
          total == 0 ? 100 : doneRows * 100 / total,
          secs,
          eta);
    }
    out.printf(
        "[logwait] backfill %s complete: %,d rows written by this run, %,d in all%n",
        tables.name(into), written, before + written);
    return new Summary(
        into,
        written,
        before + written,
        chunksWritten,
        perChunk.size(),
        System.currentTimeMillis() - started);
  }

  private void checkTarget(String into) {
    if (!NAME.matcher(into).matches()) {
      throw new ConfigException(
          "backfill: --into '" + into + "' must be lower-case letters, digits and '_'");
    }
    if (into.startsWith(Tables.TRAINING_PREFIX)
        || List.of(Tables.RAW_PREDICTIONS, Tables.RAW_LABELS, Tables.QUARANTINE, Tables.RUNS)
            .contains(into)) {
      throw new ConfigException(
          "backfill: --into "
              + into
              + " is a table the joiner writes itself; backfill into a new table (e.g."
              + " backfill_<set>) and swap it in with ALTER TABLE ... RENAME when it is right");
    }
  }

  /**
   * The state of an unfinished backfill into {@code into} with the same arguments, or a new one
   * (pinned to the raw tables' current snapshots and the current label watermark).
   */
  private BackfillState resumeOrStart(String into, String set, Options o) {
    long chunk = TimeUnit.MICROSECONDS.convert(o.chunk());
    Long fromArg = o.from() == null ? null : micros(o.from());
    Long toArg = o.to() == null ? null : micros(o.to());
    if (tables.exists(into)) {
      Map<String, String> summary = tables.summaryOf(into, tables.ensureSnapshot(into));
      String json = summary.get(STATE);
      String rows = summary.get(SnapshotSummary.TOTAL_RECORDS_PROP);
      if (json == null && rows != null && Long.parseLong(rows) > 0) {
        throw new ConfigException(
            "backfill: "
                + tables.name(into)
                + " exists and is not a backfill; choose another --into");
      }
      if (json != null) {
        BackfillState previous = BackfillState.of(json);
        List<String> differs = previous.differences(set, config.hash(), chunk, fromArg, toArg);
        if (!differs.isEmpty()) {
          throw new ConfigException(
              "backfill: "
                  + tables.name(into)
                  + " was started with another "
                  + String.join(", ", differs)
                  + "; continue it with the same arguments, or backfill into another --into");
        }
        out.printf(
            "[logwait] backfill: continuing %s after %s%n",
            tables.name(into), BackfillState.time(previous.doneThrough()));
        return previous;
      }
    }
    Watermark wm =
        LabelClock.watermark(
            config,
            LabelProgress.in(tables.summary(Tables.RAW_LABELS)),
            KafkaOffsets.bounds(config.kafkaClientProps(), config.get(ConfigKey.LABELS_TOPIC)));
    if (!wm.known()) {
      throw new ConfigException(
          "backfill: no label watermark yet (label partitions "
              + wm.partitionsWithoutEvents()
              + " carried no event), so no window has closed");
    }
    long longest = TimeUnit.MICROSECONDS.convert(config.longestWindow());
    long finalizedTo = wm.openFrom(longest) + 1; // served_at <= openFrom is finalized
    long to = toArg == null ? finalizedTo : Math.min(toArg, finalizedTo);
    if (toArg != null && toArg > finalizedTo) {
      out.printf(
          "[logwait] backfill: --to lies past what the label watermark (%s) finalizes; up to %s%n",
          Instant.ofEpochMilli(wm.micros() / 1000), Instant.ofEpochMilli(finalizedTo / 1000));
    }
    Long earliest = fromArg != null ? fromArg : earliest(set);
    long from = earliest == null ? to : earliest;
    if (earliest != null && from >= to) {
      throw new ConfigException(
          "backfill: nothing to backfill from "
              + BackfillState.time(from)
              + (toArg != null && toArg <= finalizedTo
                  ? ": --to " + BackfillState.time(toArg) + " is not after it"
                  : ": the label watermark finalizes predictions served before "
                      + BackfillState.time(finalizedTo)
                      + " only"));
    }
    return new BackfillState(
        set,
        config.hash(),
        chunk,
        from,
        to,
        wm.micros(),
        tables.snapshotId(Tables.RAW_PREDICTIONS),
        tables.snapshotId(Tables.RAW_LABELS),
        from,
        new BackfillState.Asked(fromArg, toArg),
        null);
  }

  /** Rows of the pinned raw snapshots (all of them, unless an erasure moved the pins). */
  private static Column ingestedBy(BackfillState state) {
    return state.pinnedAt() == null
        ? lit(true)
        : unix_micros(col("ingested_at")).leq(state.pinnedAt());
  }

  private Long earliest(String set) {
    Row r =
        spark
            .table(tables.name(Tables.RAW_PREDICTIONS))
            .filter(col("feature_set").equalTo(set))
            .agg(min(unix_micros(col("served_at"))))
            .first();
    return r.isNullAt(0) ? null : r.getLong(0);
  }

  private static long micros(Instant t) {
    return java.time.temporal.ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }
}
