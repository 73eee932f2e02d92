package dev.logwait.logger.bandit;

/**
 * A Walker/Vose alias table over integer weights that sum to exactly {@link #TOTAL} (2^31), built
 * off the request thread and immutable afterwards. {@link #pick} turns 64 uniform random bits into
 * an arm with probability exactly {@code weight / 2^31}: the column is the low bits (the columns
 * are a power of two), the threshold test takes the top 31 bits, and every comparison is between
 * integers, so no rounding stands between the probability a choice reports and the one it was drawn
 * with.
 *
 * <p>A pick returns a packed {@code long}: the arm's index in bits 0–15, its weight (0 to 2^31) in
 * bits 16–47, and flags above (bit 48: drawn from fallback weights). The propensity is then {@code
 * weight / 2^31}, computed from the long alone: no second read of a table another thread may have
 * swapped since.
 */
final class AliasTable {
  /** The weights' sum: the probability unit is 2^-31. */
  static final long TOTAL = 1L << 31;

  static final int MAX_ARMS = 1 << 10;
  static final long FALLBACK_BIT = 1L << 48;
  private static final int WEIGHT_SHIFT = 16;

  private final int mask;
  private final int[] threshold;
  private final int[] alias;
  private final long[] packed;
  private final boolean fallback;

  private AliasTable(int[] threshold, int[] alias, long[] packed, boolean fallback) {
    this.mask = threshold.length - 1;
    this.threshold = threshold;
    this.alias = alias;
    this.packed = packed;
    this.fallback = fallback;
  }

  /**
   * A table drawing arm {@code i} with probability {@code weights[i] / 2^31}.
   *
   * @param weights non-negative, summing to exactly {@link #TOTAL}
   */
  static AliasTable of(long[] weights, boolean fallback) {
    int n = weights.length;
    if (n == 0 || n > MAX_ARMS) {
      throw new IllegalArgumentException(
          "an alias table takes 1 to " + MAX_ARMS + " arms, not " + n);
    }
    long sum = 0;
    for (long w : weights) {
      if (w < 0 || w > TOTAL) {
        throw new IllegalArgumentException("weight " + w + " is outside [0, 2^31]");
      }
      sum += w;
    }
    if (sum != TOTAL) {
      throw new IllegalArgumentException("weights sum to " + sum + ", not 2^31");
    }
    // A power of two of columns, so that the column is a mask of random bits (exactly uniform);
    // the columns beyond the arms hold weight 0 and always alias.
    int m = n == 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    // Vose in integers: each column holds TOTAL; an item's scaled weight is m * w.
    long[] scaled = new long[m];
    int[] threshold = new int[m];
    int[] alias = new int[m];
    int[] small = new int[m];
    int[] large = new int[m];
    int ns = 0;
    int nl = 0;
    for (int i = 0; i < m; i++) {
      scaled[i] = i < n ? weights[i] * m : 0;
      alias[i] = i;
      if (scaled[i] < TOTAL) {
        small[ns++] = i;
      } else {
        large[nl++] = i;
      }
    }
    while (ns > 0 && nl > 0) {
      int s = small[--ns];
      int g = large[--nl];
      threshold[s] = (int) scaled[s]; // < 2^31
      alias[s] = g;
      scaled[g] -= TOTAL - scaled[s];
      if (scaled[g] < TOTAL) {
        small[ns++] = g;
      } else {
        large[nl++] = g;
      }
    }
    // In exact arithmetic whatever is left holds exactly TOTAL: a full column, which keeps its own
    // item for every draw (alias = itself, so the threshold need not hold 2^31).
    while (nl > 0) {
      int g = large[--nl];
      threshold[g] = Integer.MAX_VALUE;
      alias[g] = g;
    }
    while (ns > 0) {
      int s = small[--ns];
      if (scaled[s] != TOTAL) {
        throw new IllegalStateException("alias table left column " + s + " at " + scaled[s]);
      }
      threshold[s] = Integer.MAX_VALUE;
      alias[s] = s;
    }
    long[] packed = new long[n];
    for (int i = 0; i < n; i++) {
      packed[i] = (fallback ? FALLBACK_BIT : 0) | (weights[i] << WEIGHT_SHIFT) | i;
    }
    return new AliasTable(threshold, alias, packed, fallback);
  }

  /**
   * Draws an arm: no allocation, no branch on the number of arms.
   *
   * @param bits 64 uniform random bits
   * @return the packed choice
   */
  long pick(long bits) {
    int column = (int) bits & mask;
    int r = (int) (bits >>> 33); // the top 31 bits: uniform in [0, 2^31)
    return packed[r < threshold[column] ? column : alias[column]];
  }

  boolean fallback() {
    return fallback;
  }

  int arms() {
    return packed.length;
  }

  /** The weight of arm {@code i}, out of {@link #TOTAL}. */
  long weight(int i) {
    return weight(packed[i]);
  }

  /** The probability of arm {@code i}: exactly its weight over 2^31. */
  double probability(int i) {
    return propensity(packed[i]);
  }

  int columns() {
    return threshold.length;
  }

  /** Column {@code c}'s own item wins when the top 31 bits are below this. */
  int threshold(int c) {
    return threshold[c];
  }

  int alias(int c) {
    return alias[c];
  }

  static int arm(long choice) {
    return (int) choice & 0xFFFF;
  }

  static long weight(long choice) {
    return (choice >>> WEIGHT_SHIFT) & 0xFFFF_FFFFL;
  }

  static double propensity(long choice) {
    return weight(choice) * 0x1p-31; // exact: a 32-bit integer times a power of two
  }
}
