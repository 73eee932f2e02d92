package dev.logwait.logger.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AliasTableTest {
  @Test
  void everyArmsMassOverAllColumnsIsExactlyItsWeight() {
    SplittableRandom rng = new SplittableRandom(7);
    for (int trial = 0; trial < 2_000; trial++) {
      int n = trial < 1_000 ? 1 + rng.nextInt(12) : 1 + rng.nextInt(AliasTable.MAX_ARMS);
      double[] p = new double[n];
      for (int i = 0; i < n; i++) {
        // some arms at 0, some tiny, some large: the shapes that break rounding
        p[i] = rng.nextInt(5) == 0 ? 0 : Math.pow(rng.nextDouble(), 4);
      }
      if (trial % 7 == 0) {
        p[0] = 1; // a degenerate one: everything on one arm
        for (int i = 1; i < n; i++) {
          p[i] = 0;
        }
      }
      double sum = 0;
      for (double x : p) {
        sum += x;
      }
      if (sum == 0) {
        p[0] = 1;
      }
      long[] w = Shares.apportion(p);
      assertExact(AliasTable.of(w, false), w);
    }
  }

  /**
   * For a uniform column c and uniform r in [0, 2^31), column c gives its own item when r is below
   * its threshold and its alias otherwise: summed in integers over the columns, an arm's mass must
   * be exactly columns × weight, i.e. its probability exactly weight / 2^31.
   */
  private static void assertExact(AliasTable t, long[] w) {
    long[] mass = new long[w.length];
    for (int c = 0; c < t.columns(); c++) {
      long below = t.threshold(c);
      if (c < w.length) {
        mass[c] += below;
      } else {
        assertThat(below).as("a column beyond the arms never gives its own item").isZero();
      }
      mass[t.alias(c)] += AliasTable.TOTAL - below;
    }
    for (int i = 0; i < w.length; i++) {
      assertThat(mass[i]).as("arm %d of %d", i, w.length).isEqualTo(w[i] * t.columns());
      assertThat(t.probability(i)).isEqualTo(w[i] / (double) AliasTable.TOTAL);
    }
  }

  @Test
  void drawnFrequenciesMatchTheProbabilitiesChiSquare() {
    long[] w = Shares.apportion(new double[] {0.5, 0.3, 0.15, 0.04, 0.01});
    AliasTable t = AliasTable.of(w, false);
    SplittableRandom rng = new SplittableRandom(42);
    int draws = 2_000_000;
    long[] seen = new long[w.length];
    for (int d = 0; d < draws; d++) {
      long choice = t.pick(rng.nextLong());
      int arm = AliasTable.arm(choice);
      seen[arm]++;
      assertThat(AliasTable.weight(choice)).isEqualTo(w[arm]);
    }
    double chi2 = 0;
    for (int i = 0; i < w.length; i++) {
      double expected = draws * t.probability(i);
      chi2 += (seen[i] - expected) * (seen[i] - expected) / expected;
    }
    // 4 degrees of freedom: P(chi2 > 18.47) = 0.001 for a correct sampler
    assertThat(chi2).isLessThan(18.47);
  }

  @Test
  void theChoicePacksArmPropensityAndTheFallbackFlag() {
    long[] w = {AliasTable.TOTAL / 4, 3 * AliasTable.TOTAL / 4};
    AliasTable fallback = AliasTable.of(w, true);
    long c = fallback.pick(0L); // column 0, r = 0: below any positive threshold
    assertThat(AliasTable.arm(c)).isEqualTo(0);
    assertThat(AliasTable.propensity(c)).isEqualTo(0.25);
    assertThat(c & AliasTable.FALLBACK_BIT).isNotZero();
    assertThat(c).isPositive();
    long[] pinned = {0, AliasTable.TOTAL, 0};
    AliasTable one = AliasTable.of(pinned, false);
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 10_000; i++) {
      long p = one.pick(rng.nextLong());
      assertThat(AliasTable.arm(p)).isEqualTo(1);
      assertThat(AliasTable.propensity(p)).isEqualTo(1.0);
      assertThat(p & AliasTable.FALLBACK_BIT).isZero();
    }
    // the extreme bits: every column, r at both ends
    for (long bits : new long[] {0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 1L, 2L, 3L}) {
      assertThat(AliasTable.arm(one.pick(bits))).isEqualTo(1);
    }
  }

  @Test
  void weightsThatDoNotSumToTheUnitAreRefused() {
    assertThatThrownBy(() -> AliasTable.of(new long[] {1, 2}, false))
        .hasMessage("weights sum to 3, not 2^31");
    assertThatThrownBy(() -> AliasTable.of(new long[0], false))
        .hasMessageContaining("an alias table takes 1 to 1024 arms, not 0");
    assertThatThrownBy(() -> AliasTable.of(new long[] {-1, AliasTable.TOTAL + 1}, false))
        .hasMessageContaining("weight -1 is outside [0, 2^31]");
  }
}
