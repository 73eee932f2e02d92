package dev.logwait.logger.bandit;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A {@link RouterPosterior}'s statistics as posteriors of the router's own arms, and their
 * probabilities of being best. An arm of the router without statistics gets the prior; statistics
 * of an arm the router does not have are left out (arms are added and removed by configuration).
 *
 * <p>BINARY: {@code Beta(prior_alpha + reward_sum, prior_beta + weight - reward_sum)}.
 *
 * <p>NUMERIC: a Normal posterior of the arm's mean reward. With {@code n = min(rows, weight)} (the
 * rows when they are unsampled and undecayed; fewer when decay shrank the weights, so that decayed
 * evidence never counts for more than its weight), the arm's mean {@code m = reward_sum / weight}
 * and variance {@code s² = reward_sum_squares / weight - m²}, and the pooled mean {@code μ0} and
 * variance {@code σ0²} of every arm of the router together, as a prior worth {@code n0 = }{@link
 * #NUMERIC_PRIOR_ROWS} row: mean {@code (n·m + n0·μ0) / (n + n0)}, variance of the mean {@code
 * ((n·s² + n0·σ0²) / (n + n0)) / (n + n0)}. An arm without rows is {@code Normal(μ0, σ0²)}: as
 * uncertain as one reward.
 */
final class Posteriors {
  /** The numeric prior's weight, in rows. */
  static final double NUMERIC_PRIOR_ROWS = 1.0;

  private Posteriors() {}

  /**
   * What is wrong with a posterior's numbers, or null. Checked before anything is used: a posterior
   * with a problem is ignored whole.
   */
  static String problem(RouterPosterior p) {
    if (p.rewardKind() == RewardKind.BINARY
        && !(p.priorAlpha() > 0
            && p.priorBeta() > 0
            && Double.isFinite(p.priorAlpha())
            && Double.isFinite(p.priorBeta()))) {
      return "prior Beta(" + p.priorAlpha() + ", " + p.priorBeta() + ") is not positive and finite";
    }
    Set<String> seen = new HashSet<>();
    for (ArmStatistics a : p.arms()) {
      if (!seen.add(a.arm())) {
        return "arm " + a.arm() + " appears twice";
      }
      if (!(a.weight() >= 0 && Double.isFinite(a.weight()))
          || !Double.isFinite(a.rewardSum())
          || !(a.rewardSumSquares() >= 0 && Double.isFinite(a.rewardSumSquares()))
          || a.rows() < 0
          || a.waiting() < 0) {
        return "arm " + a.arm() + " has statistics out of range: " + a;
      }
      // Rewards in [0, 1] sum to at most the weight; a little rounding from the joiner's sums is
      // tolerated and clamped.
      double slack = 1e-9 * Math.max(1.0, a.weight());
      if (p.rewardKind() == RewardKind.BINARY
          && (a.rewardSum() < -slack || a.rewardSum() > a.weight() + slack)) {
        return "arm "
            + a.arm()
            + " has reward_sum "
            + a.rewardSum()
            + " outside [0, weight = "
            + a.weight()
            + "] for a BINARY reward";
      }
    }
    return null;
  }

  /** The router's arms' statistics, by position; null where the posterior has none. */
  static ArmStatistics[] byArm(RouterPosterior p, String[] arms) {
    Map<String, ArmStatistics> named = new HashMap<>();
    p.arms().forEach(a -> named.put(a.arm(), a));
    ArmStatistics[] out = new ArmStatistics[arms.length];
    for (int i = 0; i < arms.length; i++) {
      out[i] = named.get(arms[i]);
    }
    return out;
  }

  /** Each of the router's arms' probability of being best under a validated posterior. */
  static double[] probabilityOfBest(
      RouterPosterior p, String[] arms, int draws, RandomGenerator rng) {
    ArmStatistics[] s = byArm(p, arms);
    int n = arms.length;
    if (p.rewardKind() == RewardKind.BINARY) {
      double[] alpha = new double[n];
      double[] beta = new double[n];
      for (int i = 0; i < n; i++) {
        double w = s[i] == null ? 0 : s[i].weight();
        double r = s[i] == null ? 0 : Math.min(w, Math.max(0, s[i].rewardSum()));
        alpha[i] = p.priorAlpha() + r;
        beta[i] = p.priorBeta() + (w - r);
      }
      return ProbabilityOfBest.beta(alpha, beta, draws, rng);
    }
    double pooledWeight = 0;
    double pooledSum = 0;
    double pooledSquares = 0;
    for (ArmStatistics a : s) {
      if (a != null) {
        pooledWeight += a.weight();
        pooledSum += a.rewardSum();
        pooledSquares += a.rewardSumSquares();
      }
    }
    double[] mean = new double[n];
    double[] sd = new double[n];
    if (pooledWeight <= 0) {
      return ProbabilityOfBest.normal(mean, sd, draws, rng); // no evidence: all alike
    }
    double mu0 = pooledSum / pooledWeight;
    double var0 = Math.max(0, pooledSquares / pooledWeight - mu0 * mu0);
    double n0 = NUMERIC_PRIOR_ROWS;
    for (int i = 0; i < n; i++) {
      ArmStatistics a = s[i];
      double rows = a == null || a.weight() <= 0 ? 0 : Math.min(a.rows(), a.weight());
      double m = rows == 0 ? mu0 : a.rewardSum() / a.weight();
      double var = rows == 0 ? var0 : Math.max(0, a.rewardSumSquares() / a.weight() - m * m);
      mean[i] = (rows * m + n0 * mu0) / (rows + n0);
      double rewardVariance = (rows * var + n0 * var0) / (rows + n0);
      sd[i] = Math.sqrt(rewardVariance / (rows + n0));
    }
    return ProbabilityOfBest.normal(mean, sd, draws, rng);
  }
}
