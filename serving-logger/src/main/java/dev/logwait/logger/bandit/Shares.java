package dev.logwait.logger.bandit;

/**
 * Turns an arm's probability of being best (or a fallback weight) into the share it is served:
 * {@code p_i = floor_i + (1 - Σ floors) · q_i / Σ q}, then into integer weights out of 2^31 that an
 * {@link AliasTable} draws with exactly.
 */
final class Shares {
  private Shares() {}

  /**
   * Mixes the floors in.
   *
   * @param floors each arm's minimum share, summing to less than 1
   * @param q non-negative scores (probabilities of being best, or fallback weights); when they sum
   *     to 0, the arms share what the floors leave equally
   */
  static double[] mix(double[] floors, double[] q) {
    int n = floors.length;
    double floorSum = 0;
    double qSum = 0;
    for (int i = 0; i < n; i++) {
      floorSum += floors[i];
      qSum += q[i];
    }
    double rest = 1.0 - floorSum;
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      p[i] = floors[i] + rest * (qSum > 0 ? q[i] / qSum : 1.0 / n);
    }
    return p;
  }

  /**
   * Integer weights summing to exactly 2^31, each the largest multiple of 2^-31 not above its
   * share, the remainder to the largest fractional parts (Hamilton's method): every weight is
   * within 2^-31 of its share.
   *
   * @param p shares summing to 1 (within rounding)
   */
  static long[] apportion(double[] p) {
    int n = p.length;
    double sum = 0;
    for (double x : p) {
      sum += x;
    }
    long[] w = new long[n];
    double[] frac = new double[n];
    long total = 0;
    for (int i = 0; i < n; i++) {
      double exact = p[i] / sum * AliasTable.TOTAL;
      w[i] = (long) Math.floor(exact);
      frac[i] = exact - w[i];
      total += w[i];
    }
    // Rounding may leave a few units over or under (never more than n): add to the largest
    // fractional parts, or take from the smallest non-zero weights' fractional parts.
    while (total < AliasTable.TOTAL) {
      int best = 0;
      for (int i = 1; i < n; i++) {
        if (frac[i] > frac[best]) {
          best = i;
        }
      }
      w[best]++;
      frac[best] -= 1.0;
      total++;
    }
    while (total > AliasTable.TOTAL) {
      int worst = -1;
      for (int i = 0; i < n; i++) {
        if (w[i] > 0 && (worst < 0 || frac[i] < frac[worst])) {
          worst = i;
        }
      }
      w[worst]--;
      frac[worst] += 1.0;
      total--;
    }
    return w;
  }
}
