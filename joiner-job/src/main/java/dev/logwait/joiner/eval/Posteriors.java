package dev.logwait.joiner.eval;

import dev.logwait.joiner.eval.figures.Interval;
import java.util.List;
import java.util.Random;

/**
 * A router arm's posterior from its published sums, read as the routers read them: the weights
 * ({@code Σw}, 1 / sample_rate, decayed) count as observations.
 *
 * <ul>
 *   <li>Binary reward: {@code Beta(α + Σw·r, β + Σw − Σw·r)}; its mean and its equal-tailed 95%
 *       interval (the 2.5% and 97.5% quantiles).
 *   <li>Numeric reward: the arm's mean {@code m = Σw·r / Σw} is {@code Normal(m, s² / n)} with
 *       {@code n = Σw} and {@code s²} the weighted variance corrected by {@code n / (n − 1)} (a
 *       flat prior); the interval is {@code m ± 1.96 s / √n}. No interval where {@code n <= 1} or
 *       the rewards show no spread, as for the report's means ({@link Intervals}).
 *   <li>The probability that an arm is best: the share of {@value #DRAWS} joint draws from the
 *       arms' posteriors in which it is the largest (seed {@value #SEED}, so a report is
 *       reproducible). An arm without a posterior (numeric, {@code n <= 1}) takes no part.
 * </ul>
 */
final class Posteriors {
  static final int DRAWS = 10_000;
  static final long SEED = 1;

  /** How the posteriors are read, in words (shown beside them). */
  static final String METHOD =
      "binary rewards: Beta(α + Σw·r, β + Σw − Σw·r), equal-tailed 95% interval; numeric"
          + " rewards: the mean is Normal(Σw·r/Σw, s²/Σw), interval ±1.96·s/√Σw; w = 1 /"
          + " sample_rate, decayed where the router has a half-life. P(best): the share of "
          + DRAWS
          + " joint draws from the arms' posteriors in which the arm is the largest";

  private Posteriors() {}

  /** One arm's posterior: Beta, Normal, or none. */
  sealed interface Posterior permits BetaPosterior, NormalPosterior, NoPosterior {
    Interval interval();

    double draw(Random rnd);
  }

  record BetaPosterior(double a, double b) implements Posterior {
    @Override
    public Interval interval() {
      return new Interval(a / (a + b), betaQuantile(0.025, a, b), betaQuantile(0.975, a, b));
    }

    @Override
    public double draw(Random rnd) {
      double x = gamma(a, rnd);
      double y = gamma(b, rnd);
      return x / (x + y);
    }
  }

  /**
   * @param sd the standard deviation of the mean; NaN bounds when 0 (no spread)
   */
  record NormalPosterior(double mean, double sd) implements Posterior {
    @Override
    public Interval interval() {
      return sd > 0
          ? new Interval(mean, mean - Intervals.Z95 * sd, mean + Intervals.Z95 * sd)
          : new Interval(mean, Double.NaN, Double.NaN);
    }

    @Override
    public double draw(Random rnd) {
      return mean + sd * rnd.nextGaussian();
    }
  }

  /** Too little data for a posterior: the mean where there is one, no interval. */
  record NoPosterior(double mean) implements Posterior {
    @Override
    public Interval interval() {
      return new Interval(mean, Double.NaN, Double.NaN);
    }

    @Override
    public double draw(Random rnd) {
      throw new UnsupportedOperationException("no posterior to draw from");
    }
  }

  static Posterior binary(double alpha, double beta, double weight, double rewardSum) {
    return new BetaPosterior(alpha + rewardSum, beta + weight - rewardSum);
  }

  static Posterior numeric(double weight, double rewardSum, double rewardSumSquares) {
    double mean = weight > 0 ? rewardSum / weight : Double.NaN;
    if (!(weight > 1)) {
      return new NoPosterior(mean);
    }
    double variance = Math.max(0, rewardSumSquares / weight - mean * mean) * weight / (weight - 1);
    return new NormalPosterior(mean, Math.sqrt(variance / weight));
  }

  /**
   * Each arm's probability of being the best (NaN for an arm without a posterior), by {@code draws}
   * joint draws; ties go to the first arm.
   */
  static double[] probabilityBest(List<Posterior> arms, int draws, long seed) {
    double[] out = new double[arms.size()];
    Random rnd = new Random(seed);
    long[] wins = new long[arms.size()];
    boolean any = false;
    for (Posterior p : arms) {
      any |= !(p instanceof NoPosterior);
    }
    for (int d = 0; any && d < draws; d++) {
      int best = -1;
      double top = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < arms.size(); i++) {
        if (arms.get(i) instanceof NoPosterior) {
          continue;
        }
        double v = arms.get(i).draw(rnd);
        if (best < 0 || v > top) {
          best = i;
          top = v;
        }
      }
      wins[best]++;
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = !any || arms.get(i) instanceof NoPosterior ? Double.NaN : (double) wins[i] / draws;
    }
    return out;
  }

  /**
   * The {@code p} quantile of {@code Beta(a, b)}: the distribution function inverted by bisection.
   */
  static double betaQuantile(double p, double a, double b) {
    double lo = 0;
    double hi = 1;
    for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
      double mid = (lo + hi) / 2;
      if (StudentT.regularizedBeta(mid, a, b) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  /** A draw from {@code Gamma(shape, 1)}: Marsaglia and Tsang (2000), boosted below shape 1. */
  static double gamma(double shape, Random rnd) {
    if (shape < 1) {
      double u = rnd.nextDouble();
      return gamma(shape + 1, rnd) * Math.pow(u, 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = rnd.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rnd.nextDouble();
      if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }
}
