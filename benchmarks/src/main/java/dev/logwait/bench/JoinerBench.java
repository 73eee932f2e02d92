package dev.logwait.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import dev.logwait.joiner.JoinerJob;
import dev.logwait.joiner.cli.JobContext;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.schema.LogwaitSchemas;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.avro.functions;

/**
 * One measured job per JVM, on topics BenchData filled: {@code logwait} (ingest + join + commit,
 * exactly once, windows, dedup, raw and training tables), {@code naive} (what a team writes: batch
 * read of both topics, from_avro, a left join on prediction_id, one Iceberg append, no guarantees),
 * {@code naive-map} (the same on the map-based copy), or {@code naive-raw} (baseline (c): the naive
 * job as a careful team writes it when it also wants to re-join history later: every Kafka message
 * of both topics appended to Iceberg tables in the same job, then the same join; {@code
 * naive-raw-cached} does the same from one cached read of each topic instead of reading Kafka
 * again). Prints one result line.
 *
 * <p>{@code JoinerBench <mode> <bootstrap> <prefix> <warehouse> [features=100]}
 */
public final class JoinerBench {
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String bootstrap = args[1];
    String prefix = args[2];
    Path warehouse = Path.of(args[3]).toAbsolutePath();
    int features = args.length > 4 ? Integer.parseInt(args[4]) : 100;
    Path yaml = Files.createTempFile("bench", ".yaml");
    Files.writeString(
        yaml,
        "kafka:\n  bootstrap-servers: "
            + bootstrap
            + "\n  predictions-topic: "
            + prefix
            + "-preds\n"
            + "  labels-topic: "
            + prefix
            + "-labels\n  schemas-topic: "
            + prefix
            + "-schemas\n"
            + "catalog:\n  name: bench\n  properties:\n    type: hadoop\n    warehouse: "
            + warehouse
            + "\n"
            + "namespace: "
            + namespace(mode)
            + "\n"
            + "spark:\n  shuffle-partitions: 4\n"
            + (mode.equals("logwait-night")
                ? "labels:\n  - {name: purchase, window: 24h, aggregation: exists, default: 0}\n"
                : "labels:\n  - {name: click, window: 30m, aggregation: exists, default: 0}\n"));
    JoinerConfig config = JoinerConfig.load(yaml, Map.of());
    SparkSession.Builder b =
        SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false");
    JobContext.configure(b, config);
    SparkSession spark = b.getOrCreate();
    spark.sql("CREATE NAMESPACE IF NOT EXISTS bench." + namespace(mode));
    double startup =
        (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1e3;
    JobCounter jobs = new JobCounter();
    spark.sparkContext().addSparkListener(jobs);
    CpuSplit cpu = CpuSplit.start();
    long t = System.nanoTime();
    long rows;
    switch (mode) {
      case "logwait", "logwait-night":
        rows =
            JoinerJob.run(spark, config, true, true, false, System.err).counts().get("finalized");
        break;
      case "logwait-idle":
        idle(spark, config, jobs, startup);
        spark.stop();
        return;
      case "naive":
        rows =
            naive(
                spark,
                bootstrap,
                prefix + "-preds",
                Features.set(features, false).writerSchema().toString(),
                prefix,
                "bench.naive.joined");
        break;
      case "naive-raw", "naive-raw-cached":
        rows =
            naiveWithRawLog(
                spark,
                bootstrap,
                prefix,
                Features.set(features, false).writerSchema().toString(),
                mode.endsWith("cached"));
        break;
      case "naive-map":
        rows =
            naive(
                spark,
                bootstrap,
                prefix + "-mappreds",
                Features.mapSchema().toString(),
                prefix,
                "bench.naive_map.joined");
        break;
      default:
        throw new IllegalArgumentException(
            "mode: logwait, naive, naive-map, naive-raw or naive-raw-cached");
    }
    double seconds = (System.nanoTime() - t) / 1e9;
    spark.sparkContext().listenerBus().waitUntilEmpty(); // every task's end counted
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        "RESULT mode=%s rows=%d seconds=%.1f rows_per_s=%.0f rows_per_s_per_core=%.0f"
            + " peak_rss_mb=%d spark_jobs=%d startup_s=%.1f %s%n",
        mode,
        rows,
        seconds,
        rows / seconds,
        rows / seconds / cores,
        peakRssMb(),
        jobs.count(),
        startup,
        cpu.since(jobs));
    spark.stop();
  }

  /**
   * The fixed cost: a first run takes everything, then runs that find nothing new, each timed with
   * the Spark jobs it started.
   */
  static void idle(SparkSession spark, JoinerConfig config, JobCounter jobs, double startup) {
    long t = System.nanoTime();
    long rows =
        JoinerJob.run(spark, config, true, true, false, System.err).counts().get("finalized");
    System.out.printf(
        "first run: %d rows in %.1f s, %d Spark jobs%n",
        rows, (System.nanoTime() - t) / 1e9, jobs.count());
    double[] seconds = new double[5];
    long[] jobCounts = new long[5];
    for (int i = 0; i < seconds.length; i++) {
      long before = jobs.count();
      t = System.nanoTime();
      long again =
          JoinerJob.run(spark, config, true, true, false, System.err).counts().get("finalized");
      seconds[i] = (System.nanoTime() - t) / 1e9;
      jobCounts[i] = jobs.count() - before;
      System.out.printf(
          "idle run %d: %d rows in %.2f s, %d Spark jobs%n",
          i + 1, again, seconds[i], jobCounts[i]);
    }
    double[] sorted = seconds.clone();
    java.util.Arrays.sort(sorted);
    System.out.printf(
        "RESULT mode=logwait-idle rows=0 seconds=%.2f min_s=%.2f max_s=%.2f spark_jobs=%d"
            + " startup_s=%.1f%n",
        sorted[sorted.length / 2],
        sorted[0],
        sorted[sorted.length - 1],
        jobCounts[jobCounts.length - 1],
        startup);
  }

  private static String namespace(String mode) {
    return mode.startsWith("logwait") ? "logwait" : mode.replace('-', '_');
  }

  /** Counts the Spark jobs started in the session, and their tasks' CPU. */
  static final class JobCounter extends org.apache.spark.scheduler.SparkListener {
    private final java.util.concurrent.atomic.AtomicLong jobs =
        new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong taskCpu =
        new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
      if (end.taskMetrics() != null) {
        taskCpu.addAndGet(end.taskMetrics().executorCpuTime());
      }
    }

    long taskCpuNanos() {
      return taskCpu.get();
    }

    /** Where each SQL execution came from: the first logwait frame of its call site. */
    private final java.util.Map<String, String> queries =
        new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void onOtherEvent(org.apache.spark.scheduler.SparkListenerEvent event) {
      if (event instanceof org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart q) {
        String origin = q.description();
        for (String line : q.details().split("\n")) {
          if (line.contains("dev.logwait") && !line.contains("dev.logwait.bench")) {
            origin = line.trim();
            break;
          }
        }
        queries.put(String.valueOf(q.executionId()), origin);
      }
    }

    @Override
    public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
      jobs.incrementAndGet();
      // on the job's log: where each job came from (the query that started it, when it is one)
      String execution =
          start.properties() == null
              ? null
              : start.properties().getProperty("spark.sql.execution.id");
      System.err.println(
          "[bench] spark job "
              + start.jobId()
              + " at "
              + java.time.LocalTime.now()
              + ", "
              + (start.stageInfos().isEmpty() ? "?" : start.stageInfos().head().name())
              + (execution == null
                  ? ""
                  : " [query " + execution + ": " + queries.getOrDefault(execution, "?") + "]"));
    }

    long count() {
      return jobs.get();
    }
  }

  /** The naive job: no offsets, no dedup, no windows, no quarantine; one append. */
  static long naive(
      SparkSession spark,
      String bootstrap,
      String topic,
      String schema,
      String prefix,
      String table) {
    Dataset<Row> joined =
        join(kafka(spark, bootstrap, topic), kafka(spark, bootstrap, prefix + "-labels"), schema);
    return appendNew(spark, joined, table);
  }

  /** The naive join: both topics decoded with from_avro, labels left-joined on prediction_id. */
  private static Dataset<Row> join(
      Dataset<Row> predsTopic, Dataset<Row> labelsTopic, String schema) {
    Dataset<Row> p =
        predsTopic
            .select(functions.from_avro(expr("substring(value, 11)"), schema).as("p"))
            .select("p.*");
    Dataset<Row> l =
        labelsTopic
            .select(
                functions
                    .from_avro(expr("substring(value, 11)"), LogwaitSchemas.labelEvent().toString())
                    .as("l"))
            .select(
                col("l.prediction_id").as("label_pid"),
                col("l.value").as("label_value"),
                col("l.occurred_at").as("label_at"));
    return p.join(l, p.col("prediction_id").equalTo(l.col("label_pid")), "left").drop("label_pid");
  }

  /** Creates {@code table} from {@code rows}; the rows its snapshot added. */
  private static long appendNew(SparkSession spark, Dataset<Row> rows, String table) {
    try {
      rows.writeTo(table).create();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return Long.parseLong(
        spark
            .sql("SELECT summary['added-records'] FROM " + table + ".snapshots")
            .first()
            .getString(0));
  }

  /**
   * Baseline (c): every message of both topics (key, value, topic, partition, offset, timestamp)
   * appended to an Iceberg table per topic, as a team writes it (Spark's defaults: Parquet, zstd,
   * dictionary encoding), then the naive join into the training table. With {@code cached}, each
   * topic is read from Kafka once and cached for both uses; otherwise Kafka is read again for the
   * join.
   */
  static long naiveWithRawLog(
      SparkSession spark, String bootstrap, String prefix, String schema, boolean cached) {
    Dataset<Row> p = kafka(spark, bootstrap, prefix + "-preds");
    Dataset<Row> l = kafka(spark, bootstrap, prefix + "-labels");
    if (cached) {
      p = p.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
      l = l.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    }
    String ns = cached ? "bench.naive_raw_cached." : "bench.naive_raw.";
    try {
      p.select("key", "value", "topic", "partition", "offset", "timestamp")
          .writeTo(ns + "raw_predictions")
          .create();
      l.select("key", "value", "topic", "partition", "offset", "timestamp")
          .writeTo(ns + "raw_labels")
          .create();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Dataset<Row> joined =
        join(
            cached ? p : kafka(spark, bootstrap, prefix + "-preds"),
            cached ? l : kafka(spark, bootstrap, prefix + "-labels"),
            schema);
    return appendNew(spark, joined, ns + "joined");
  }

  private static Dataset<Row> kafka(SparkSession spark, String bootstrap, String topic) {
    return spark
        .read()
        .format("kafka")
        .option("kafka.bootstrap.servers", bootstrap)
        .option("subscribe", topic)
        .load();
  }

  static long peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return -1;
  }
}
