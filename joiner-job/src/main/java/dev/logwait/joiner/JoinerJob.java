package dev.logwait.joiner;

import dev.logwait.joiner.bandit.RouterUpdates;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.ingest.Ingest;
import dev.logwait.joiner.ingest.IngestResult;
import dev.logwait.joiner.ingest.Sources;
import dev.logwait.joiner.join.Join;
import dev.logwait.joiner.join.JoinHealth;
import dev.logwait.joiner.kafka.KafkaReachability;
import dev.logwait.joiner.kafka.Positions;
import dev.logwait.joiner.lineage.JoinerLineage;
import dev.logwait.joiner.table.ConcurrentRunException;
import dev.logwait.joiner.table.CrashPoints;
import dev.logwait.joiner.table.Runs;
import dev.logwait.joiner.table.TableDdl;
import dev.logwait.joiner.table.Tables;
import dev.logwait.schema.SchemaTopic;
import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.spark.sql.SparkSession;

/**
 * One run of the joiner on a session: ingest, join, or both, recorded in {@code runs} whether it
 * succeeds or fails. The steps: check Kafka answers, create missing tables, ingest, count the new
 * labels' health, join, update and publish the routers' posteriors, record.
 */
public final class JoinerJob {
  /** What a run does. */
  public enum Command {
    /** Ingest, then join: what the nightly job calls. */
    RUN,
    /** Kafka to the raw tables and quarantine. */
    INGEST,
    /** Raw tables to training tables. */
    JOIN;

    boolean ingests() {
      return this != JOIN;
    }

    boolean joins() {
      return this != INGEST;
    }

    /** As the CLI and {@code runs.command} name it. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What a run did, as recorded in {@code runs}. */
  public record Summary(
      String runId,
      Map<String, Long> counts,
      Long watermarkMicros,
      Map<String, Long> dataLoss,
      Map<String, Object> health,
      long millis) {}

  /** Retries after another run won a commit; each retry starts from the new positions. */
  static final int MAX_ATTEMPTS = 6;

  private final SparkSession spark;
  private final JoinerConfig config;
  private final Tables tables;
  private final Command command;
  private final PrintStream progress;
  private final String runId;
  private final long started = System.currentTimeMillis();

  // what the run has done so far: a failed run records it too
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private Positions offsets = Positions.NONE;
  private Map<String, Long> loss = Map.of();
  private Map<String, Object> health = Map.of();
  private Long watermark;

  private JoinerJob(SparkSession spark, JoinerConfig config, Command command, PrintStream out) {
    this.spark = spark;
    this.config = config;
    this.tables = new Tables(spark, config);
    this.command = command;
    this.progress = out;
    this.runId = Instant.ofEpochMilli(started) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** As {@link #run(SparkSession, JoinerConfig, Command, boolean, PrintStream)}. */
  public static Summary run(
      SparkSession spark,
      JoinerConfig config,
      boolean ingest,
      boolean join,
      boolean acceptDataLoss,
      PrintStream progress) {
    Command c = ingest && join ? Command.RUN : ingest ? Command.INGEST : Command.JOIN;
    return run(spark, config, c, acceptDataLoss, progress);
  }

  /**
   * Runs a command. When another run commits to a table first, this run's commit to it is refused
   * whole and the run starts again from the new positions (up to {@value #MAX_ATTEMPTS} attempts),
   * so two joiners started together end as one.
   */
  public static Summary run(
      SparkSession spark,
      JoinerConfig config,
      Command command,
      boolean acceptDataLoss,
      PrintStream progress) {
    CompletableFuture<Void> reachable =
        CompletableFuture.runAsync(
            () -> KafkaReachability.require(config, KafkaReachability.TIMEOUT));
    CompletableFuture<SchemaTopic.Contents> schemas =
        command.ingests() ? Sources.readSchemas(config, reachable) : null;
    boolean tablesReady = lookAtTablesWhileWaiting(spark, config, reachable);
    JoinerLineage lineage = JoinerLineage.start(config, new Tables(spark, config), command.label());
    try {
      Summary s =
          attempts(
              spark, config, command, acceptDataLoss, progress, reachable, schemas, tablesReady);
      lineage.complete(s.runId(), s.counts());
      return s;
    } catch (Exception e) { // SparkException is checked, though Scala code throws it undeclared
      lineage.fail(e);
      throw e;
    }
  }

  private static Summary attempts(
      SparkSession spark,
      JoinerConfig config,
      Command command,
      boolean acceptDataLoss,
      PrintStream progress,
      CompletableFuture<Void> reachable,
      CompletableFuture<SchemaTopic.Contents> schemas,
      boolean tablesReady) {
    for (int attempt = 1; ; attempt++) {
      try {
        return new JoinerJob(spark, config, command, progress)
            .attempt(
                acceptDataLoss,
                attempt == 1 || schemas == null ? schemas : Sources.readSchemas(config, reachable),
                attempt == 1 && tablesReady);
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

  /**
   * Loads the tables (read-only) while Kafka is asked whether it answers: in a new JVM both are
   * mostly first-use class loading, and they overlap. Returns, once Kafka has answered, whether
   * every table exists in its current shape ({@link TableDdl#ready}); Kafka's failure is the one
   * thrown when both fail, and nothing has been created then.
   */
  private static boolean lookAtTablesWhileWaiting(
      SparkSession spark, JoinerConfig config, CompletableFuture<Void> reachable) {
    boolean ready;
    try {
      ready = new TableDdl(spark, new Tables(spark, config)).ready();
    } catch (RuntimeException e) {
      awaitReachable(reachable);
      throw e;
    }
    awaitReachable(reachable);
    return ready;
  }

  private static void awaitReachable(CompletableFuture<Void> reachable) {
    try {
      reachable.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * @param tablesReady the tables were just found in their current shape (so they are not looked at
   *     again); a retry after another run's commit looks again
   */
  private Summary attempt(
      boolean acceptDataLoss,
      CompletableFuture<SchemaTopic.Contents> schemas,
      boolean tablesReady) {
    IngestResult ingested = null;
    try {
      Ingest ingest = command.ingests() ? new Ingest(spark, config, tables, runId, schemas) : null;
      if (!tablesReady) {
        new TableDdl(spark, tables).createIfMissing();
      }
      if (ingest != null) {
        ingested = ingest(ingest, acceptDataLoss);
        labelHealth(ingested);
      }
      if (command.joins()) {
        if (command.ingests()) {
          CrashPoints.reached("between-ingest-and-join");
        }
        join(ingested);
        if (!config.routers().isEmpty()) {
          new RouterUpdates(spark, config, tables, runId, progress).run(counts);
        }
      }
    } catch (Exception e) { // SparkException is checked, though Scala code throws it undeclared
      new RunRecord(tables, runId).failed(this, e);
      throw e;
    } finally {
      if (ingested != null) {
        ingested.release();
      }
    }
    CrashPoints.reached("before-runs-record");
    new RunRecord(tables, runId).succeeded(this);
    return new Summary(
        runId, counts, watermark, loss, health, System.currentTimeMillis() - started);
  }

  private IngestResult ingest(Ingest ingest, boolean acceptDataLoss) {
    progress.println("[logwait] ingest: reading new Kafka records (run " + runId + ")");
    IngestResult r = ingest.run(acceptDataLoss);
    counts.putAll(r.counts().asMap());
    offsets = r.predictionPositions().plus(r.labelPositions());
    loss = r.dataLoss();
    r.schemaProblems().forEach(p -> progress.println("[logwait] schemas topic: " + p));
    return r;
  }

  /** Late and orphan labels: after the predictions' commit, so a label and its prediction match. */
  private void labelHealth(IngestResult r) {
    counts.putAll(
        new JoinHealth(spark, config, tables).ofNewLabels(r.newLabels(), r.labelBounds()));
    progress.println("[logwait] ingest: " + counts);
  }

  private void join(IngestResult ingested) {
    progress.println("[logwait] join: finalizing predictions whose label windows closed");
    Join.Batch batch =
        ingested == null
            ? null
            : new Join.Batch(
                ingested.newPredictions(),
                ingested.rawBase(),
                ingested.rawHead(),
                ingested.predictionPositions(),
                ingested.labelBounds());
    Join.Result r = new Join(spark, config, tables, runId).run(batch);
    counts.putAll(r.counts());
    health = r.health();
    watermark = r.watermark().micros();
    if (!r.watermark().idlePartitions().isEmpty()) {
      r.watermark().idlePartitions().forEach(p -> counts.put("label_partition_idle." + p, 1L));
      progress.println(
          "[logwait] join: label partitions "
              + r.watermark().idlePartitions()
              + " are idle (label-partitions-idle-after) and hold no window open");
    }
    if (watermark == null) {
      progress.println(
          "[logwait] join: no label watermark yet: label partitions "
              + r.watermark().partitionsWithoutEvents()
              + " have carried no event, so every window stays open");
      return;
    }
    counts.put(
        "watermark_lag_seconds",
        Math.max(0, (System.currentTimeMillis() * 1000 - watermark) / 1_000_000));
    progress.println(
        "[logwait] join: watermark " + Instant.ofEpochMilli(watermark / 1000) + ", " + r.counts());
  }

  /** The {@code runs} row of this run. */
  Runs.Run asRun(String status, Map<String, ?> offsets, Map<String, Long> snapshots, String error) {
    return new Runs.Run(
        runId,
        command.label(),
        started,
        status,
        config.hash(),
        offsets,
        snapshots,
        counts,
        watermark,
        loss,
        health,
        error);
  }

  Positions offsets() {
    return offsets;
  }
}
