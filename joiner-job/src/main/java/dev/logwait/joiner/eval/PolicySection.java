package dev.logwait.joiner.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.eval.figures.PolicyEstimate;
import dev.logwait.joiner.eval.figures.PolicyFigures;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Off-policy evaluation ({@link OffPolicy}) of a candidate policy, given as rows {@code
 * (prediction_id, action, probability)}, on the training rows that carry the served {@code action}
 * and its {@code propensity}. Rows are never dropped silently: rows whose propensity is missing,
 * zero or above one (positivity violations) and rows the candidate says nothing about are counted
 * and left out. Evaluating the logging policy itself (every weight 1) is always reported: it must
 * reproduce the observed mean reward.
 */
final class PolicySection {
  /** Rows are summed in this many blocks for the bootstrap. */
  static final int BLOCKS = 1000;

  private PolicySection() {}

  /**
   * @param candidate rows {@code (prediction_id, action, probability)}, or null for the sanity
   *     check alone
   */
  static PolicyFigures compute(
      Dataset<Row> training,
      String rewardColumn,
      Dataset<Row> candidate,
      String candidateName,
      double clipCap,
      int replicates,
      long seed) {
    long logged = training.count();
    Dataset<Row> withAction = training.filter(col("action").isNotNull());
    Column p = col("propensity");
    Column positive = p.isNotNull().and(p.gt(0)).and(p.leq(1));
    Dataset<Row> rows =
        withAction.select(
            col("prediction_id"),
            col("action"),
            p,
            positive.as("_positive"),
            col("weight").as("_s"),
            col(rewardColumn).as("_r"));
    if (candidate != null) {
      Dataset<Row> probs =
          candidate.select(
              col("prediction_id").as("_c_id"),
              col("action").as("_c_action"),
              col("probability").cast("double").as("_pi"));
      Dataset<Row> covered = candidate.select(col("prediction_id").as("_k_id")).distinct();
      rows =
          rows.join(
                  probs,
                  rows.col("prediction_id")
                      .equalTo(probs.col("_c_id"))
                      .and(rows.col("action").equalTo(probs.col("_c_action"))),
                  "left")
              .join(covered, col("prediction_id").equalTo(covered.col("_k_id")), "left")
              .withColumn("_covered", col("_k_id").isNotNull())
              .withColumn(
                  "_w_raw",
                  when(col("_positive").and(col("_pi").isNotNull()), col("_pi").divide(p))
                      .otherwise(lit(0.0)));
    } else {
      rows = rows.withColumn("_covered", lit(true)).withColumn("_w_raw", lit(1.0));
    }
    Column loggedRow = col("_positive").and(col("_r").isNotNull());
    Column used = loggedRow.and(col("_covered"));
    Column w = least(col("_w_raw"), lit(clipCap));
    Column s = col("_s");
    Column r = col("_r");
    List<Row> blocks =
        rows.groupBy(pmod(hash(col("prediction_id")), lit(BLOCKS)).as("block"))
            .agg(
                count(when(used, lit(1))).as("n"),
                sum(when(used, s)).as("s"),
                sum(when(used, s.multiply(w))).as("sw"),
                sum(when(used, s.multiply(w).multiply(r))).as("swr"),
                sum(when(used, s.multiply(r))).as("sr"),
                sum(when(used, w)).as("w"),
                sum(when(used, w.multiply(w))).as("ww"),
                max(when(used, col("_w_raw"))).as("wmax"),
                count(when(used.and(col("_w_raw").gt(clipCap)), lit(1))).as("clipped"),
                count(when(loggedRow, lit(1))).as("ln"),
                sum(when(loggedRow, s)).as("ls"),
                sum(when(loggedRow, s.multiply(r))).as("lsr"),
                count(lit(1)).as("acted"),
                count(when(not(col("_positive")), lit(1))).as("violations"),
                count(when(col("_positive").and(not(col("_covered"))), lit(1))).as("uncovered"))
            .collectAsList();
    List<OffPolicy.Block> target = new ArrayList<>();
    List<OffPolicy.Block> logging = new ArrayList<>();
    double sumW = 0;
    double sumW2 = 0;
    double maxW = 0;
    long clipped = 0;
    long acted = 0;
    long violations = 0;
    long uncovered = 0;
    long usedRows = 0;
    for (Row b : blocks) {
      acted += b.getLong(b.fieldIndex("acted"));
      violations += b.getLong(b.fieldIndex("violations"));
      uncovered += b.getLong(b.fieldIndex("uncovered"));
      long ln = b.getLong(b.fieldIndex("ln"));
      if (ln > 0) {
        double ls = b.getDouble(b.fieldIndex("ls"));
        double lsr = b.getDouble(b.fieldIndex("lsr"));
        logging.add(new OffPolicy.Block(ln, ls, ls, lsr, lsr));
      }
      long n = b.getLong(b.fieldIndex("n"));
      if (n == 0) {
        continue;
      }
      usedRows += n;
      double sumS = b.getDouble(b.fieldIndex("s"));
      double sumSR = b.getDouble(b.fieldIndex("sr"));
      target.add(
          new OffPolicy.Block(
              n, sumS, b.getDouble(b.fieldIndex("sw")), b.getDouble(b.fieldIndex("swr")), sumSR));
      sumW += b.getDouble(b.fieldIndex("w"));
      sumW2 += b.getDouble(b.fieldIndex("ww"));
      maxW = Math.max(maxW, b.getDouble(b.fieldIndex("wmax")));
      clipped += b.getLong(b.fieldIndex("clipped"));
    }
    if (usedRows == 0) {
      throw new ConfigException(
          "off-policy evaluation: no training row has an action, a propensity in (0, 1]"
              + (candidate == null ? "" : " and a candidate probability")
              + " and a value of "
              + rewardColumn
              + " ("
              + acted
              + " rows with an action, "
              + violations
              + " of them without a usable propensity)");
    }
    PolicyEstimate loggingEstimate = OffPolicy.estimate(logging, replicates, seed);
    PolicyEstimate candidateEstimate =
        candidate == null ? null : OffPolicy.estimate(target, replicates, seed);
    return new PolicyFigures(
        candidateName,
        rewardColumn,
        logged,
        acted,
        violations,
        uncovered,
        loggingEstimate,
        candidateEstimate,
        candidate == null
            ? null
            : new PolicyFigures.Weights(
                Estimators.effectiveSampleSize(sumW, sumW2),
                maxW,
                (double) clipped / usedRows,
                clipCap),
        target.size());
  }
}
