package dev.logwait.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;

import dev.logwait.joiner.eval.OffPolicy;
import dev.logwait.joiner.eval.figures.PolicyEstimate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Off-policy estimates of "always arm k" from a bandit's own finalized rows, with the report's
 * estimators ({@link OffPolicy}: IPS and SNIPS, percentile bootstrap over blocks of rows), once
 * with the propensity the router logged and once with {@code 1/n} in its place, as a team that did
 * not log it would have to assume. The true value is arm k's click rate.
 */
final class OffPolicyCheck {
  /** Rows are summed in this many blocks per router, as the report does (PolicySection). */
  static final int BLOCKS = 1000;

  static final int REPLICATES = 500;

  private OffPolicyCheck() {}

  /**
   * One estimate.
   *
   * @param router the bandit's router
   * @param arm the arm the candidate policy always chooses
   * @param truth that arm's click rate
   * @param logged with the logged propensities
   * @param uniform with 1/n instead
   */
  record Estimate(
      BanditScenario scenario,
      String router,
      int arm,
      double truth,
      PolicyEstimate logged,
      PolicyEstimate uniform) {}

  /** Every arm of every bandit stream, from {@code table}'s rows. */
  static List<Estimate> of(SparkSession spark, String table, List<BanditStream> bandits) {
    Map<String, BanditStream> byAction = new HashMap<>();
    Map<String, Integer> armOf = new HashMap<>();
    for (BanditStream b : bandits) {
      for (int i = 0; i < b.actions.length; i++) {
        byAction.put(b.actions[i], b);
        armOf.put(b.actions[i], i);
      }
    }
    // per action and block: n, Σs, Σs/p, Σs·r/p, Σs·r (s = 1 / sample_rate, r = the click)
    List<Row> sums =
        spark
            .table(table)
            .where(col("action").isin(byAction.keySet().toArray()))
            .groupBy(col("action"), pmod(hash(col("prediction_id")), lit(BLOCKS)).as("block"))
            .agg(
                count(lit(1)),
                sum(col("weight")),
                sum(col("weight").divide(col("propensity"))),
                sum(col("weight").multiply(col("label_click")).divide(col("propensity"))),
                sum(col("weight").multiply(col("label_click"))))
            .collectAsList();
    Map<String, Map<Integer, double[][]>> blocks = new TreeMap<>();
    for (Row r : sums) {
      String action = r.getString(0);
      BanditStream b = byAction.get(action);
      double[][] block =
          blocks
              .computeIfAbsent(b.name, k -> new TreeMap<>())
              .computeIfAbsent(r.getInt(1), k -> new double[b.actions.length][]);
      block[armOf.get(action)] =
          new double[] {
            r.getLong(2), r.getDouble(3), r.getDouble(4), r.getDouble(5), r.getDouble(6)
          };
    }
    List<Estimate> out = new ArrayList<>();
    for (BanditStream b : bandits) {
      Map<Integer, double[][]> mine = blocks.getOrDefault(b.name, Map.of());
      for (int k = 0; k < b.actions.length; k++) {
        long seed = b.seed * 31L + k;
        out.add(
            new Estimate(
                b.scenario,
                b.name,
                k,
                b.scenario.rate(k),
                OffPolicy.estimate(candidate(mine, k, false), REPLICATES, seed),
                OffPolicy.estimate(candidate(mine, k, true), REPLICATES, seed)));
      }
    }
    return out;
  }

  /**
   * The blocks of "always arm k": every row counts in Σs and Σs·r; only arm k's rows have a weight,
   * {@code 1 / propensity} as logged, or {@code n} (one over 1/n) when {@code uniform}.
   */
  static List<OffPolicy.Block> candidate(Map<Integer, double[][]> blocks, int k, boolean uniform) {
    List<OffPolicy.Block> out = new ArrayList<>();
    for (double[][] block : blocks.values()) {
      double n = 0;
      double sumS = 0;
      double sumSR = 0;
      for (double[] arm : block) {
        if (arm != null) {
          n += arm[0];
          sumS += arm[1];
          sumSR += arm[4];
        }
      }
      double[] a = block[k];
      double sumSW = 0;
      double sumSWR = 0;
      if (a != null) {
        // a[1] = Σs, a[2] = Σs/p, a[3] = Σs·r/p, a[4] = Σs·r of arm k's rows
        sumSW = uniform ? block.length * a[1] : a[2];
        sumSWR = uniform ? block.length * a[4] : a[3];
      }
      out.add(new OffPolicy.Block((long) n, sumS, sumSW, sumSWR, sumSR));
    }
    return out;
  }
}
