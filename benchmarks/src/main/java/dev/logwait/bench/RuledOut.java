package dev.logwait.bench;

/**
 * When an arm is ruled out of being the best at 95%, by each strategy's own rule. For two arms that
 * is the better arm identified; for three arms with two equal best ones, the worse arm found.
 *
 * <ul>
 *   <li>A/B (unweighted counts, propensity 1/n): an arm whose rate is below another arm's with
 *       Newcombe's hybrid score interval of the difference (built from the two Wilson intervals, as
 *       the report's {@code eval/Intervals} makes it) excluding 0. Checked after every step, as a
 *       dashboard would be: repeated looks, no correction for them.
 *   <li>Bandit: an arm whose probability of being best, in the router's own posterior, is at most
 *       5%; for two arms the same as the other's being at least 95%.
 * </ul>
 */
final class RuledOut {
  static final double Z95 = 1.959963984540054;

  private RuledOut() {}

  /**
   * The A/B decision: the arm with the lowest rate among those another arm beats significantly, or
   * -1 when none is.
   *
   * @param rows each arm's rows
   * @param clicks each arm's clicks
   */
  static int byIntervals(long[] rows, long[] clicks) {
    int out = -1;
    for (int k = 0; k < rows.length; k++) {
      for (int j = 0; j < rows.length; j++) {
        if (j != k && newcombe(rows[k], clicks[k], rows[j], clicks[j])[1] > 0) {
          if (out < 0 || rate(rows[k], clicks[k]) < rate(rows[out], clicks[out])) {
            out = k;
          }
          break;
        }
      }
    }
    return out;
  }

  /**
   * The bandit's decision: the arm with the lowest probability of being best if it is at most 5%,
   * else -1.
   */
  static int byProbabilityOfBest(double[] best) {
    int out = -1;
    for (int k = 0; k < best.length; k++) {
      if (best[k] <= 0.05 && (out < 0 || best[k] < best[out])) {
        out = k;
      }
    }
    return out;
  }

  /**
   * Each arm's probability of being best, read back from the router's shares: a router draws arm i
   * with {@code floor_i + (1 − Σ floors) · P(best)_i} (docs/bandits.md).
   */
  static double[] probabilityOfBest(double[] shares, double[] floors) {
    double sumFloors = 0;
    for (double f : floors) {
      sumFloors += f;
    }
    double[] best = new double[shares.length];
    for (int i = 0; i < shares.length; i++) {
      best[i] = Math.max(0, (shares[i] - floors[i]) / (1 - sumFloors));
    }
    return best;
  }

  /** Wilson's score interval of {@code clicks / rows}: {@code {low, high}}. */
  static double[] wilson(long rows, long clicks) {
    if (rows == 0) {
      return new double[] {0, 1};
    }
    double n = rows;
    double p = clicks / n;
    double z2 = Z95 * Z95;
    double denominator = 1 + z2 / n;
    double center = (p + z2 / (2 * n)) / denominator;
    double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return new double[] {Math.max(0, center - half), Math.min(1, center + half)};
  }

  /**
   * {@code rate(b) − rate(a)} with Newcombe's hybrid score interval (Newcombe 1998, method 10):
   * {@code {estimate, low, high}}.
   */
  static double[] newcombe(long rowsA, long clicksA, long rowsB, long clicksB) {
    double a = rate(rowsA, clicksA);
    double b = rate(rowsB, clicksB);
    double[] wa = wilson(rowsA, clicksA);
    double[] wb = wilson(rowsB, clicksB);
    double d = b - a;
    return new double[] {
      d, d - Math.hypot(b - wb[0], wa[1] - a), d + Math.hypot(wb[1] - b, a - wa[0])
    };
  }

  private static double rate(long rows, long clicks) {
    return rows == 0 ? 0 : (double) clicks / rows;
  }
}
