package dev.logwait.joiner.eval;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.config.LabelSpec;
import dev.logwait.joiner.eval.figures.ComparisonFigures;
import dev.logwait.joiner.eval.figures.DriftFigures;
import dev.logwait.joiner.eval.figures.HealthFigures;
import dev.logwait.joiner.eval.figures.PolicyFigures;
import dev.logwait.joiner.eval.figures.Report;
import dev.logwait.joiner.eval.figures.RouterFigures;
import dev.logwait.joiner.table.Tables;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Computes every figure of the evaluation report from the joiner's tables (and, for the bandit
 * routers, when their posteriors were last published, from the posteriors topic).
 */
public final class Evaluation {
  /**
   * What to evaluate.
   *
   * @param table the training table ({@code training_<set>}); null: the only one there is
   * @param policyCsv a candidate policy as CSV with a header {@code
   *     prediction_id,action,probability}
   * @param policyTable the same as a table of the catalog
   * @param reward the label that is the reward; null: the first binary label
   * @param clipCap importance weights above this are clipped (and counted)
   * @param baseline the variant ({@code model/version}) others are compared with; null: the largest
   * @param driftCurrent the latest period whose features are compared
   * @param driftReference the period before it that they are compared with
   */
  public record Options(
      String table,
      Path policyCsv,
      String policyTable,
      String reward,
      double clipCap,
      String baseline,
      Duration driftCurrent,
      Duration driftReference,
      int replicates,
      long seed,
      boolean recordDrift) {}

  /**
   * How long the report waits for the posteriors topic (when it was published) before noting it.
   */
  static final Duration ROUTER_TOPIC_TIMEOUT = Duration.ofSeconds(10);

  private Evaluation() {}

  public static Report run(
      SparkSession spark, JoinerConfig config, Tables tables, Options o, PrintStream progress) {
    String table = tables.training(o.table());
    Dataset<Row> training = spark.table(tables.name(table));
    List<String> columns = Arrays.asList(training.columns());
    List<LabelSpec> specs =
        config.labels().stream().filter(s -> columns.containsAll(s.columns())).toList();
    long started = System.nanoTime();
    long rows = training.count();
    progress.printf("[report] %s: %,d rows, labels %s%n", table, rows, names(specs));
    HealthFigures health =
        HealthSection.compute(
            training,
            spark.table(tables.name(Tables.RAW_LABELS)),
            spark.table(tables.name(Tables.RUNS)),
            specs);
    progress.printf("[report] join health done (%.1f s)%n", seconds(started));
    ComparisonFigures models = ComparisonSection.compute(training, specs, o.baseline());
    progress.printf("[report] models and versions done (%.1f s)%n", seconds(started));
    String reward = reward(o.reward(), specs, models);
    PolicyFigures policy = null;
    String policyNote = null;
    Dataset<Row> candidate = candidate(spark, tables, o);
    try {
      policy =
          PolicySection.compute(
              training,
              "label_" + reward,
              candidate,
              o.policyCsv() != null ? o.policyCsv().getFileName().toString() : o.policyTable(),
              o.clipCap(),
              o.replicates(),
              o.seed());
      progress.printf("[report] off-policy evaluation done (%.1f s)%n", seconds(started));
    } catch (ConfigException e) {
      if (candidate != null) {
        throw e;
      }
      policyNote = e.getMessage(); // no candidate asked for, and no row that explores
    }
    DriftFigures drift = DriftSection.compute(training, o.driftCurrent(), o.driftReference());
    progress.printf(
        "[report] drift of %d features done (%.1f s)%n", drift.features().size(), seconds(started));
    List<RouterFigures> routers =
        RouterSection.compute(
            spark, config, tables, table, true, ROUTER_TOPIC_TIMEOUT, Instant.now());
    if (!routers.isEmpty()) {
      progress.printf(
          "[report] %d bandit routers done (%.1f s)%n", routers.size(), seconds(started));
    }
    Report report =
        new Report(
            UUID.randomUUID().toString(),
            Instant.now().toString(),
            table,
            rows,
            health,
            models,
            policy,
            policyNote,
            drift,
            routers);
    if (o.recordDrift()) {
      DriftTable.append(spark, tables, report);
    }
    return report;
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private static List<String> names(List<LabelSpec> specs) {
    return specs.stream().map(LabelSpec::name).toList();
  }

  private static String reward(String wanted, List<LabelSpec> specs, ComparisonFigures models) {
    if (wanted != null) {
      if (specs.stream().noneMatch(s -> s.name().equals(wanted))) {
        throw new ConfigException("--reward " + wanted + ": no such label among " + names(specs));
      }
      return wanted;
    }
    return models.labels().stream()
        .filter(ComparisonFigures.LabelComparison::binary)
        .map(ComparisonFigures.LabelComparison::label)
        .findFirst()
        .orElse(specs.isEmpty() ? "none" : specs.get(0).name());
  }

  private static Dataset<Row> candidate(SparkSession spark, Tables tables, Options o) {
    if (o.policyCsv() != null && o.policyTable() != null) {
      throw new ConfigException("--policy and --policy-table: give one of them");
    }
    if (o.policyCsv() != null) {
      StructType schema =
          new StructType()
              .add("prediction_id", DataTypes.StringType)
              .add("action", DataTypes.StringType)
              .add("probability", DataTypes.DoubleType);
      PolicyCsv.check(o.policyCsv()); // what the CLI checked already; a caller of run may not have
      return spark
          .read()
          .option("header", "true")
          .option("mode", "FAILFAST")
          .schema(schema)
          .csv(o.policyCsv().toAbsolutePath().toString());
    }
    if (o.policyTable() != null) {
      String name = o.policyTable().contains(".") ? o.policyTable() : tables.name(o.policyTable());
      Dataset<Row> t = spark.table(name);
      for (String c : List.of("prediction_id", "action", "probability")) {
        if (!Arrays.asList(t.columns()).contains(c)) {
          throw new ConfigException(
              "--policy-table "
                  + name
                  + " has no column "
                  + c
                  + " (needs prediction_id, action, probability)");
        }
      }
      return checked(t, "--policy-table " + name);
    }
    return null;
  }

  /**
   * Refuses a candidate table with missing ids, probabilities outside [0, 1], an action given twice
   * for one prediction, or one prediction's probabilities summing past 1 (the rules of {@link
   * PolicyCsv}), naming how many and a few of the predictions.
   */
  private static Dataset<Row> checked(Dataset<Row> candidate, String what) {
    long bad =
        candidate
            .filter(
                "prediction_id IS NULL OR action IS NULL OR probability IS NULL"
                    + " OR NOT (probability >= 0 AND probability <= 1)")
            .count();
    if (bad > 0) {
      throw new ConfigException(
          what
              + ": "
              + bad
              + " rows without prediction_id or action, or with a probability outside [0, 1]");
    }
    List<Row> over =
        candidate
            .groupBy("prediction_id")
            .agg(
                functions.sum("probability").as("total"),
                functions.count(functions.lit(1)).as("rows"),
                functions.countDistinct(functions.col("action")).as("actions"))
            .filter(
                functions
                    .col("total")
                    .gt(1 + PolicyCsv.SUM_TOLERANCE)
                    .or(functions.col("rows").gt(functions.col("actions"))))
            .limit(6)
            .collectAsList();
    if (!over.isEmpty()) {
      throw new ConfigException(
          what
              + ": predictions whose probabilities sum past 1, or that give an action twice"
              + " (a policy chooses one action per prediction), e.g. "
              + over.stream().limit(5).map(r -> r.get(0) + " (sum " + r.get(1) + ")").toList());
    }
    return candidate;
  }
}
