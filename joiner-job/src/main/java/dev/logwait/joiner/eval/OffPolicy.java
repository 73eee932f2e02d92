package dev.logwait.joiner.eval;

import dev.logwait.joiner.eval.figures.Interval;
import dev.logwait.joiner.eval.figures.PolicyEstimate;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Off-policy value of a candidate policy from logged bandit feedback: inverse propensity scoring
 * (IPS) and its self-normalized form (SNIPS), with percentile bootstrap intervals.
 *
 * <p>A logged row has the action served with propensity {@code p}, a reward {@code r} (a label) and
 * a sample-rate weight {@code s}; the candidate gives the served action probability {@code π}. Its
 * importance weight is {@code w = min(π / p, cap)}. Then {@code IPS = Σ s·w·r / Σ s} and {@code
 * SNIPS = Σ s·w·r / Σ s·w}. Rows are summed in blocks (a random partition of the rows, made by
 * Spark); the bootstrap resamples blocks with replacement, which for rows drawn independently is
 * the row bootstrap at a fraction of the cost.
 */
public final class OffPolicy {
  private OffPolicy() {}

  /** Sums over one block of rows: {@code n, Σs, Σs·w, Σs·w·r, Σs·r}. */
  public record Block(long n, double sumS, double sumSW, double sumSWR, double sumSR) {
    Block plus(Block o, long times) {
      return new Block(
          n + times * o.n,
          sumS + times * o.sumS,
          sumSW + times * o.sumSW,
          sumSWR + times * o.sumSWR,
          sumSR + times * o.sumSR);
    }

    double ips() {
      return sumS == 0 ? Double.NaN : sumSWR / sumS;
    }

    double snips() {
      return sumSW == 0 ? Double.NaN : sumSWR / sumSW;
    }
  }

  /**
   * @param blocks the rows' sums, a block each (at least one)
   * @param replicates bootstrap replicates (e.g. 500)
   */
  public static PolicyEstimate estimate(List<Block> blocks, int replicates, long seed) {
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("no rows to evaluate the policy on");
    }
    Block all = new Block(0, 0, 0, 0, 0);
    for (Block b : blocks) {
      all = all.plus(b, 1);
    }
    double[] ips = new double[replicates];
    double[] snips = new double[replicates];
    SplittableRandom rnd = new SplittableRandom(seed);
    int k = blocks.size();
    int[] times = new int[k];
    for (int r = 0; r < replicates; r++) {
      Arrays.fill(times, 0);
      for (int i = 0; i < k; i++) {
        times[rnd.nextInt(k)]++;
      }
      Block sum = new Block(0, 0, 0, 0, 0);
      for (int i = 0; i < k; i++) {
        if (times[i] > 0) {
          sum = sum.plus(blocks.get(i), times[i]);
        }
      }
      ips[r] = sum.ips();
      snips[r] = sum.snips();
    }
    return new PolicyEstimate(
        percentile(all.ips(), ips),
        percentile(all.snips(), snips),
        all.sumS == 0 ? Double.NaN : all.sumSR / all.sumS,
        all.n,
        replicates);
  }

  /** The 2.5th and 97.5th percentiles of the replicates around the full-sample estimate. */
  static Interval percentile(double estimate, double[] replicates) {
    double[] finite = Arrays.stream(replicates).filter(Double::isFinite).sorted().toArray();
    if (finite.length == 0) {
      return new Interval(estimate, Double.NaN, Double.NaN);
    }
    return new Interval(estimate, quantile(finite, 0.025), quantile(finite, 0.975));
  }

  private static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
