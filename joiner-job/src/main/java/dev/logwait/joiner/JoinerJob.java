package dev.logwait.joiner;

import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.ingest.Ingest;
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
    Tables tables = new Tables(spark, config);
    Ingest ingestion = ingest ? new Ingest(spark, config, tables, runId) : null;
    tables.createIfMissing();
    Map<String, Long> counts = new LinkedHashMap<>();
    Map<String, Long> offsets = new TreeMap<>();
    Map<String, Long> loss = Map.of();
    Map<String, Object> health = Map.of();
    Long watermark = null;
    Ingest.Result ingested = null;
    try {
      if (ingest) {
        progress.println("[logwait] ingest: reading new Kafka records (run " + runId + ")");
        ingested = ingestion.run(acceptDataLoss);
        counts.putAll(ingested.counts());
        offsets.putAll(ingested.predictionOffsets());
        offsets.putAll(ingested.labelOffsets());
        loss = ingested.dataLoss();
        ingested.schemaProblems().forEach(p -> progress.println("[logwait] schemas topic: " + p));
        progress.println("[logwait] ingest: " + ingested.counts());
      }
      if (ingest && join) {
        CrashPoints.reached("between-ingest-and-join");
      }
      if (join) {
        progress.println("[logwait] join: finalizing predictions whose label windows closed");
        Join.Batch batch =
            ingested == null || ingested.newPredictions() == null
                ? null
                : new Join.Batch(
                    ingested.newPredictions(), ingested.rawBase(), ingested.predictionOffsets());
        Join.Result r = new Join(spark, config, tables, runId).run(batch);
        counts.putAll(r.counts());
        health = r.health();
        watermark = r.watermark().micros();
        if (watermark != null) {
          counts.put(
              "watermark_lag_seconds",
              Math.max(0, (System.currentTimeMillis() * 1000 - watermark) / 1_000_000));
        }
        if (!r.watermark().known()) {
          progress.println(
              "[logwait] join: no label watermark yet: label partitions "
                  + r.watermark().partitionsWithoutEvents()
                  + " have carried no event, so every window stays open");
        } else {
          progress.println(
              "[logwait] join: watermark "
                  + Instant.ofEpochMilli(watermark / 1000)
                  + ", "
                  + r.counts());
        }
      }
    } finally {
      if (ingested != null) {
        ingested.release();
      }
    }
    Map<String, Long> snapshots = new TreeMap<>();
    for (String t : new String[] {Tables.RAW_PREDICTIONS, Tables.RAW_LABELS, Tables.QUARANTINE}) {
      Long id = tables.snapshotId(t);
      if (id != null) {
        snapshots.put(t, id);
      }
    }
    String command = ingest && join ? "run" : ingest ? "ingest" : "join";
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
            offsets,
            snapshots,
            counts,
            watermark,
            loss,
            health));
    return new Summary(
        runId, counts, watermark, loss, health, System.currentTimeMillis() - started);
  }
}
