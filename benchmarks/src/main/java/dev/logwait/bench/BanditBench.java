package dev.logwait.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.logwait.joiner.JoinerJob;
import dev.logwait.joiner.cli.JobContext;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.table.Tables;
import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.PredictionLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The bandit loop on the real components, in simulated time: per step (a simulated hour of
 * traffic), every bandit stream's router chooses an arm per request, the real logger logs the
 * prediction with the router's action and propensity, clicks are logged with a delay inside the
 * 30-minute window, a heartbeat moves the labels' clock past every window, and one joiner run
 * ({@link JoinerJob#run} on a warm local Spark session, with a {@code routers:} declaration per
 * bandit stream) finalizes the step, updates the routers' statistics and publishes them; then each
 * router is awaited until it routes by the new training snapshot. The A/B streams serve the same
 * users (common random numbers) with a uniform random split, through the same logger, broker and
 * joiner runs; their decisions come from the training table's counts. At the end, the off-policy
 * check on the bandits' own rows ({@link OffPolicyCheck}) and the tables ({@link BanditReport}).
 *
 * <p>{@code BanditBench <bootstrap> <dir> <seeds> <steps> <scenario>=<requests per step> ...},
 * scenarios {@code two} (5.0% vs 5.25%) and {@code three} (5%, 5%, 3%).
 */
public final class BanditBench {
  static final String PREFIX = "bandit";
  static final String TABLE = "training_" + BanditStream.FEATURES.name();

  /** A step is two simulated hours: one of traffic, then its windows close before the next. */
  static final long STEP = 2 * BanditStream.HOUR;

  /** The heartbeat's time after a step's start: past every window (30 min) and the lateness. */
  static final long HEARTBEAT = BanditStream.HOUR + 40 * 60_000_000L;

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      throw new IllegalArgumentException(
          "usage: BanditBench <bootstrap> <dir> <seeds> <steps> <scenario>=<requests per step>"
              + " ... (scenarios two, three)");
    }
    String bootstrap = args[0];
    Path dir = Path.of(args[1]).toAbsolutePath();
    int seeds = Integer.parseInt(args[2]);
    int steps = Integer.parseInt(args[3]);
    List<BanditScenario> scenarios = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      scenarios.add(BanditScenario.parse(args[i]));
    }
    Files.createDirectories(dir);
    createTopics(bootstrap);
    JoinerConfig config = config(bootstrap, dir, scenarios, seeds);

    SparkSession.Builder b =
        SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false");
    JobContext.configure(b, config);
    SparkSession spark = b.getOrCreate();
    spark.sql("CREATE NAMESPACE IF NOT EXISTS bench.logwait");
    Tables tables = new Tables(spark, config);

    List<BanditStream> streams = new ArrayList<>();
    for (BanditScenario s : scenarios) {
      for (int seed = 1; seed <= seeds; seed++) {
        streams.add(BanditStream.bandit(s, seed, bootstrap, PREFIX + "-posteriors"));
        streams.add(BanditStream.ab(s, seed));
      }
    }
    // simulated time ends at least a day before now: no event time lies ahead of the broker's clock
    long t0 =
        Instant.now()
                .truncatedTo(ChronoUnit.DAYS)
                .minus(Duration.ofDays(2 + steps * STEP / (24 * BanditStream.HOUR)))
                .getEpochSecond()
            * 1_000_000L;
    long started = System.nanoTime();
    try (PredictionLogger logger = BenchData.predictionLogger(bootstrap, PREFIX);
        LabelLogger labels = BenchData.labelLogger(bootstrap, PREFIX);
        PrintStream joinerLog =
            new PrintStream(
                Files.newOutputStream(dir.resolve("joiner-runs.log")),
                true,
                StandardCharsets.UTF_8)) {
      logger.register(BanditStream.FEATURES);
      Map<String, Long> rows = new HashMap<>(); // finalized rows per action, through the last step
      Map<String, Long> clicks = new HashMap<>();
      for (int step = 0; step < steps; step++) {
        long start = t0 + step * STEP;
        long t = System.nanoTime();
        long requests = 0;
        for (BanditStream s : streams) {
          s.serve(step, start, logger, labels);
          requests += s.scenario.perStep();
        }
        labels.log(
            Label.of("hb-" + step, "heartbeat", 0, start + HEARTBEAT, Map.of("hb", "1")),
            Duration.ofMinutes(1));
        if (!logger.flush(Duration.ofMinutes(5)) || !labels.flush(Duration.ofMinutes(5))) {
          throw new IllegalStateException("the loggers did not drain within 5 minutes");
        }
        double serveSeconds = (System.nanoTime() - t) / 1e9;

        t = System.nanoTime();
        JoinerJob.Summary run = JoinerJob.run(spark, config, true, true, false, joinerLog);
        double joinSeconds = (System.nanoTime() - t) / 1e9;
        long finalized = run.counts().getOrDefault("finalized", 0L);
        if (finalized != requests) {
          throw new IllegalStateException(
              "step "
                  + step
                  + ": the joiner finalized "
                  + finalized
                  + " rows, "
                  + requests
                  + " were served (counts "
                  + run.counts()
                  + "; see "
                  + dir.resolve("joiner-runs.log")
                  + ")");
        }
        long snapshot = tables.iceberg(TABLE).currentSnapshot().snapshotId();

        t = System.nanoTime();
        tally(spark, config.table(TABLE), start, start + STEP, rows, clicks);
        for (BanditStream s : streams) {
          s.observe(step, rows, clicks, snapshot);
        }
        System.err.printf(
            "[bandit] step %d/%d: %,d requests served and logged in %.1f s; joiner run %.1f s"
                + " (%,d finalized); posteriors taken by every router and the table tallied in"
                + " %.1f s; %.0f s so far%n",
            step + 1,
            steps,
            requests,
            serveSeconds,
            joinSeconds,
            finalized,
            (System.nanoTime() - t) / 1e9,
            (System.nanoTime() - started) / 1e9);
      }
      long dropped = streams.stream().mapToLong(BanditStream::dropped).sum();
      if (dropped > 0 || logger.stats().dropped() > 0) {
        throw new IllegalStateException(dropped + " predictions or clicks were dropped");
      }
    }
    double loopSeconds = (System.nanoTime() - started) / 1e9;
    long t = System.nanoTime();
    List<BanditStream> bandits = streams.stream().filter(BanditStream::isBandit).toList();
    List<OffPolicyCheck.Estimate> offPolicy =
        OffPolicyCheck.of(spark, config.table(TABLE), bandits);
    System.err.printf("[bandit] off-policy check in %.1f s%n", (System.nanoTime() - t) / 1e9);
    BanditReport report = new BanditReport(scenarios, seeds, steps, streams, offPolicy);
    Files.writeString(dir.resolve("steps.csv"), report.csv());
    Files.writeString(dir.resolve("offpolicy.csv"), report.offPolicyCsv());
    String text = report.markdown(loopSeconds);
    Files.writeString(dir.resolve("results.md"), text);
    System.out.print(text);
    streams.forEach(BanditStream::close);
    spark.stop();
  }

  /**
   * Finalized rows and clicks per action through the step that ends at {@code to}, added to the
   * counts of the steps before: only the step's rows are read (its serving times), the table's
   * files pruned by them.
   */
  static void tally(
      SparkSession spark,
      String table,
      long from,
      long to,
      Map<String, Long> rows,
      Map<String, Long> clicks) {
    List<Row> r =
        spark
            .table(table)
            .where(
                col("served_at")
                    .geq(expr("timestamp_micros(" + from + ")"))
                    .and(col("served_at").lt(expr("timestamp_micros(" + to + ")"))))
            .groupBy(col("action"))
            .agg(count(lit(1)), sum(col("label_click")))
            .collectAsList();
    for (Row x : r) {
      rows.merge(x.getString(0), x.getLong(1), Long::sum);
      clicks.merge(x.getString(0), Math.round(x.getDouble(2)), Long::sum);
    }
  }

  /** Predictions (2 partitions), labels (1: one heartbeat moves the whole clock), schemas. */
  static void createTopics(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(PREFIX + "-preds", 2, (short) 1),
                  new NewTopic(PREFIX + "-labels", 1, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  /** The joiner's configuration: a router per bandit stream, counting its own arms only. */
  static JoinerConfig config(String bootstrap, Path dir, List<BanditScenario> scenarios, int seeds)
      throws Exception {
    StringBuilder routers = new StringBuilder("routers:\n");
    for (BanditScenario s : scenarios) {
      for (int seed = 1; seed <= seeds; seed++) {
        String name = BanditStream.routerName(s, seed);
        List<String> arms = new ArrayList<>();
        for (int i = 0; i < s.arms(); i++) {
          arms.add(name + "_" + BanditScenario.armLetter(i));
        }
        routers
            .append("  - {name: ")
            .append(name)
            .append(", table: ")
            .append(BanditStream.FEATURES.name())
            .append(", reward: click, arms: [")
            .append(String.join(", ", arms))
            .append("]}\n");
      }
    }
    Path yaml = dir.resolve("joiner.yaml");
    Files.writeString(
        yaml,
        "kafka:\n  bootstrap-servers: "
            + bootstrap
            + "\n  predictions-topic: "
            + PREFIX
            + "-preds\n  labels-topic: "
            + PREFIX
            + "-labels\n  schemas-topic: "
            + PREFIX
            + "-schemas\n  posteriors-topic: "
            + PREFIX
            + "-posteriors\n"
            + "catalog:\n  name: bench\n  properties:\n    type: hadoop\n    warehouse: "
            + dir.resolve("warehouse")
            + "\nnamespace: logwait\nspark:\n  shuffle-partitions: 2\n"
            + "labels:\n  - {name: click, window: 30m, aggregation: exists, default: 0}\n"
            + routers);
    return JoinerConfig.load(yaml, Map.of());
  }
}
