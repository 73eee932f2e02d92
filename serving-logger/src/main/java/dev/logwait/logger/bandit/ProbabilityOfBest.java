package dev.logwait.logger.bandit;

import java.util.random.RandomGenerator;

/**
 * Each arm's probability of being the best, by Monte Carlo over its posterior: draw every arm's
 * parameter once per round and count which is largest (ties shared at random). Runs on the router's
 * background thread, never on a request thread.
 */
final class ProbabilityOfBest {
  private ProbabilityOfBest() {}

  /**
   * For Beta posteriors. A Beta draw is {@code X / (X + Y)} with {@code X ~ Gamma(alpha)}, {@code Y
   * ~ Gamma(beta)}; its log-odds {@code log X - log Y} ranks arms the same way and stays finite
   * where the draw itself would round to 0 or 1.
   */
  static double[] beta(double[] alpha, double[] beta, int draws, RandomGenerator rng) {
    int n = alpha.length;
    if (allEqual(alpha) && allEqual(beta)) {
      return uniform(n); // exactly, by symmetry: no sampling noise between identical arms
    }
    double[] value = new double[n];
    long[] wins = new long[n];
    for (int d = 0; d < draws; d++) {
      for (int i = 0; i < n; i++) {
        value[i] = logGamma(alpha[i], rng) - logGamma(beta[i], rng);
      }
      wins[best(value, rng)]++;
    }
    return shares(wins, draws);
  }

  /** For Normal posteriors of the arms' means. */
  static double[] normal(double[] mean, double[] sd, int draws, RandomGenerator rng) {
    int n = mean.length;
    if (allEqual(mean) && allEqual(sd)) {
      return uniform(n);
    }
    double[] value = new double[n];
    long[] wins = new long[n];
    for (int d = 0; d < draws; d++) {
      for (int i = 0; i < n; i++) {
        value[i] = mean[i] + sd[i] * rng.nextGaussian();
      }
      wins[best(value, rng)]++;
    }
    return shares(wins, draws);
  }

  /** The largest value's index; equal largest values share the win at random. */
  private static int best(double[] value, RandomGenerator rng) {
    int best = -1;
    int ties = 0;
    for (int i = 0; i < value.length; i++) {
      double v = value[i];
      if (Double.isNaN(v)) {
        continue; // cannot happen for validated posteriors; never lets NaN win
      }
      if (best < 0 || v > value[best]) {
        best = i;
        ties = 1;
      } else if (v == value[best] && rng.nextInt(++ties) == 0) {
        best = i;
      }
    }
    return best < 0 ? rng.nextInt(value.length) : best;
  }

  /**
   * The log of a Gamma(shape, 1) draw: Marsaglia and Tsang's method for shape ≥ 1, and {@code
   * Gamma(a) = Gamma(a + 1) · U^(1/a)} below.
   */
  static double logGamma(double shape, RandomGenerator rng) {
    if (shape < 1.0) {
      return logGamma(shape + 1.0, rng) + Math.log(1.0 - rng.nextDouble()) / shape;
    }
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9.0 * d);
    while (true) {
      double x;
      double v;
      do {
        x = rng.nextGaussian();
        v = 1.0 + c * x;
      } while (v <= 0.0);
      v = v * v * v;
      double u = 1.0 - rng.nextDouble(); // (0, 1]
      double x2 = x * x;
      if (u < 1.0 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1.0 - v + Math.log(v))) {
        return Math.log(d) + Math.log(v);
      }
    }
  }

  private static boolean allEqual(double[] a) {
    for (double x : a) {
      if (Double.compare(x, a[0]) != 0) {
        return false;
      }
    }
    return true;
  }

  private static double[] uniform(int n) {
    double[] p = new double[n];
    java.util.Arrays.fill(p, 1.0 / n);
    return p;
  }

  private static double[] shares(long[] wins, int draws) {
    double[] p = new double[wins.length];
    for (int i = 0; i < wins.length; i++) {
      p[i] = wins[i] / (double) draws;
    }
    return p;
  }
}
