package dev.logwait.joiner;

import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.ingest.Ingest;
import dev.logwait.joiner.ingest.KafkaReachability;
import dev.logwait.joiner.join.Join;
import dev.logwait.joiner.table.ConcurrentRunException;
import dev.logwait.joiner.table.Runs;
import dev.logwait.joiner.table.Tables;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/** One run of the joiner on a session: ingest, join, or both; recorded in {@code runs}. */
public final class JoinerJob {
  /** What a run did, as recorded in {@code runs}. */
  public record Summary(
      String runId,
      Map<String, Long> counts,
      Long watermarkMicros,
      Map<String, Long> dataLoss,
      Map<String, Object> health,
      long millis) {}

  private JoinerJob() {}

  /** Retries after another run won a commit; each retry starts from the new positions. */
  static final int MAX_ATTEMPTS = 6;

  /**
   * Runs ingest and/or join. When another run commits to a table first, this run's commit to it is
   * refused whole and the run starts again from the new positions (up to {@value #MAX_ATTEMPTS}
   * attempts), so two joiners started together end as one.
   */
  public static Summary run(
      SparkSession spark,
      JoinerConfig config,
      boolean ingest,
      boolean join,
      boolean acceptDataLoss,
      PrintStream progress) {
    KafkaReachability.require(config, KafkaReachability.TIMEOUT);
    for (int attempt = 1; ; attempt++) {
      try {
        return runOnce(spark, config, ingest, join, acceptDataLoss, progress);
      } catch (ConcurrentRunException e) {
        if (attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        progress.println(
            "[logwait] "
                + e.getMessage()
                + " Retrying from the new position (attempt "
                + (attempt + 1)
                + " of "
                + MAX_ATTEMPTS
                + ").");
      }
    }
  }

  private static Summary runOnce(
      SparkSession spark,
      JoinerConfig config,
      boolean ingest,
      boolean join,
      boolean acceptDataLoss,
      PrintStream progress) {
    long started = System.currentTimeMillis();
    String runId =
        Instant.ofEpochMilli(started) + "-" + UUID.randomUUID().toString().substring(0, 8);
    String command = ingest && join ? "run" : ingest ? "ingest" : "join";
    Tables tables = new Tables(spark, config);
    Outcome o = new Outcome();
    try {
      work(spark, config, tables, runId, ingest, join, acceptDataLoss, progress, o);
    } catch (Exception e) { // SparkException is checked, though Scala code throws it undeclared
      recordFailure(spark, config, tables, command, runId, started, o, e);
      throw e;
    }
    CrashPoints.reached("before-runs-record");
    Runs.record(
        spark,
        tables,
        new Runs.Run(
            runId,
            command,
            started,
            "succeeded",
            config.hash(),
            o.offsets,
            snapshots(tables),
            o.counts,
            o.watermark,
            o.loss,
            o.health,
            null));
    return new Summary(
        runId, o.counts, o.watermark, o.loss, o.health, System.currentTimeMillis() - started);
  }

  /** What a run has done so far: a failed run records it too. */
  private static final class Outcome {
    final Map<String, Long> counts = new LinkedHashMap<>();
    final Map<String, Long> offsets = new TreeMap<>();
    Map<String, Long> loss = Map.of();
    Map<String, Object> health = Map.of();
    Long watermark;
  }

  private static void work(
      SparkSession spark,
      JoinerConfig config,
      Tables tables,
      String runId,
      boolean ingest,
      boolean join,
      boolean acceptDataLoss,
      PrintStream progress,
      Outcome o) {
    Ingest ingestion = ingest ? new Ingest(spark, config, tables, runId) : null;
    tables.createIfMissing();
    Ingest.Result ingested = null;
    try {
      if (ingest) {
        progress.println("[logwait] ingest: reading new Kafka records (run " + runId + ")");
        ingested = ingestion.run(acceptDataLoss);
        o.counts.putAll(ingested.counts());
        o.offsets.putAll(ingested.predictionOffsets());
        o.offsets.putAll(ingested.labelOffsets());
        o.loss = ingested.dataLoss();
        ingested.schemaProblems().forEach(p -> progress.println("[logwait] schemas topic: " + p));
        progress.println("[logwait] ingest: " + ingested.counts());
      }
      if (ingest && join) {
        CrashPoints.reached("between-ingest-and-join");
      }
      if (join) {
        join(spark, config, tables, runId, ingested, progress, o);
      }
    } finally {
      if (ingested != null) {
        ingested.release();
      }
    }
  }

  private static void join(
      SparkSession spark,
      JoinerConfig config,
      Tables tables,
      String runId,
      Ingest.Result ingested,
      PrintStream progress,
      Outcome o) {
    progress.println("[logwait] join: finalizing predictions whose label windows closed");
    Join.Batch batch =
        ingested == null || ingested.newPredictions() == null
            ? null
            : new Join.Batch(
                ingested.newPredictions(), ingested.rawBase(), ingested.predictionOffsets());
    Join.Result r = new Join(spark, config, tables, runId).run(batch);
    o.counts.putAll(r.counts());
    o.health = r.health();
    o.watermark = r.watermark().micros();
    if (o.watermark != null) {
      o.counts.put(
          "watermark_lag_seconds",
          Math.max(0, (System.currentTimeMillis() * 1000 - o.watermark) / 1_000_000));
    }
    if (!r.watermark().known()) {
      progress.println(
          "[logwait] join: no label watermark yet: label partitions "
              + r.watermark().partitionsWithoutEvents()
              + " have carried no event, so every window stays open");
    } else {
      progress.println(
          "[logwait] join: watermark "
              + Instant.ofEpochMilli(o.watermark / 1000)
              + ", "
              + r.counts());
    }
  }

  /**
   * Records a failed run in {@code runs}: its error, what it counted, and for each table it did
   * commit to (before failing) that table's position and snapshot. Best effort: when even that
   * fails, the run's own error is what the caller sees.
   */
  private static void recordFailure(
      SparkSession spark,
      JoinerConfig config,
      Tables tables,
      String command,
      String runId,
      long started,
      Outcome o,
      Exception error) {
    try {
      Map<String, Map<String, Long>> offsets = new TreeMap<>();
      Map<String, Long> snapshots = new TreeMap<>();
      for (String t : tables.committedBy(runId)) {
        snapshots.put(t, tables.snapshotId(t));
        String json = tables.summary(t).get(Tables.OFFSETS);
        if (json != null) {
          offsets.put(t, Tables.readLongMap(json));
        }
      }
      Runs.record(
          spark,
          tables,
          new Runs.Run(
              runId,
              command,
              started,
              "failed",
              config.hash(),
              offsets,
              snapshots,
              o.counts,
              o.watermark,
              o.loss,
              o.health,
              firstLine(error.getMessage())));
    } catch (RuntimeException e) {
      error.addSuppressed(e);
    }
  }

  private static String firstLine(String message) {
    String m = String.valueOf(message);
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  private static Map<String, Long> snapshots(Tables tables) {
    Map<String, Long> snapshots = new TreeMap<>();
    for (String t : new String[] {Tables.RAW_PREDICTIONS, Tables.RAW_LABELS, Tables.QUARANTINE}) {
      Long id = tables.snapshotId(t);
      if (id != null) {
        snapshots.put(t, id);
      }
    }
    return snapshots;
  }
}
