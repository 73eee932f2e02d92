package dev.logwait.joiner.bandit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import dev.logwait.joiner.config.RewardKind;
import dev.logwait.joiner.config.RouterSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A router's per-arm sums over training rows, as a function of a Dataset: the rows it counts
 * ({@link RouterRows#chosen}) whose reward is not null, each weighing {@code weight} (1 /
 * sample_rate), decayed to the label watermark {@code wm} where the router has a half-life ({@link
 * Decay}).
 */
final class ArmAggregation {
  private ArmAggregation() {}

  /**
   * The sums, and for a binary router the rows whose reward lies outside [0, 1] (with the smallest
   * and largest such reward), which a Beta posterior cannot take.
   */
  record Result(Statistics statistics, long outOfRange, Double lowest, Double highest) {}

  /**
   * @param training rows of the router's training table (with {@code weight}, {@code served_at},
   *     the envelope and {@code label_<reward>})
   * @param wmMicros the label watermark the weights are decayed to (unused without a half-life;
   *     null: not decayed)
   */
  static Result of(Dataset<Row> training, RouterSpec r, Long wmMicros) {
    Column reward = col(r.rewardColumn());
    Column w = col("weight");
    Long halfLife = r.halfLifeMicros();
    if (halfLife != null && wmMicros != null) { // without a watermark, nothing to decay to
      Column age = lit(wmMicros).minus(unix_micros(col("served_at"))).cast("double");
      w = w.multiply(pow(lit(0.5), age.divide(lit((double) halfLife))));
    }
    Column r01 = col("_r");
    Column outside = r.rewardKind() == RewardKind.BINARY ? r01.lt(0).or(r01.gt(1)) : lit(false);
    List<Row> arms =
        training
            .filter(RouterRows.chosen(r).and(reward.isNotNull()))
            .select(RouterRows.arm(r).as("_arm"), w.as("_w"), reward.cast("double").as("_r"))
            .groupBy("_arm")
            .agg(
                sum(col("_w")).as("weight"),
                sum(col("_w").multiply(col("_r"))).as("reward_sum"),
                sum(col("_w").multiply(col("_r")).multiply(col("_r"))).as("reward_sum_squares"),
                count(lit(1)).as("rows"),
                count(when(outside, lit(1))).as("outside"),
                min(when(outside, col("_r"))).as("lowest"),
                org.apache.spark.sql.functions.max(when(outside, col("_r"))).as("highest"))
            .collectAsList();
    List<ArmSums> sums = new ArrayList<>();
    long outOfRange = 0;
    Double lowest = null;
    Double highest = null;
    for (Row a : arms) {
      sums.add(
          new ArmSums(
              a.getString(0), a.getDouble(1), a.getDouble(2), a.getDouble(3), a.getLong(4)));
      outOfRange += a.getLong(5);
      if (!a.isNullAt(6)) {
        lowest = lowest == null ? a.getDouble(6) : Math.min(lowest, a.getDouble(6));
        highest = highest == null ? a.getDouble(7) : Math.max(highest, a.getDouble(7));
      }
    }
    return new Result(new Statistics(sums), outOfRange, lowest, highest);
  }
}
