package dev.logwait.logger.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SharesTest {
  @Test
  void floorsAreMixedInAndTheRestFollowsTheScores() {
    double[] p = Shares.mix(new double[] {0.1, 0.05, 0.05}, new double[] {0.0, 0.25, 0.75});
    assertThat(p[0]).isCloseTo(0.1, within(1e-15)); // P(best) 0: exactly its floor
    assertThat(p[1]).isCloseTo(0.05 + 0.8 * 0.25, within(1e-15));
    assertThat(p[2]).isCloseTo(0.05 + 0.8 * 0.75, within(1e-15));
    // scores that sum to 0 share what the floors leave equally
    assertThat(Shares.mix(new double[] {0.01, 0.01}, new double[] {0, 0}))
        .containsExactly(0.5, 0.5);
  }

  @Test
  void weightsSumToTheUnitExactlyAndStayWithinOneUnitOfTheirShare() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int trial = 0; trial < 1_000; trial++) {
      int n = 1 + rng.nextInt(20);
      double[] floors = new double[n];
      Arrays.fill(floors, 0.01 / n);
      double[] q = new double[n];
      for (int i = 0; i < n; i++) {
        q[i] = rng.nextDouble();
      }
      double[] p = Shares.mix(floors, q);
      long[] w = Shares.apportion(p);
      assertThat(Arrays.stream(w).sum()).isEqualTo(AliasTable.TOTAL);
      for (int i = 0; i < n; i++) {
        assertThat((double) w[i]).isCloseTo(p[i] * AliasTable.TOTAL, within(1.0 + 1e-6));
        assertThat(w[i]).isGreaterThanOrEqualTo((long) (floors[i] * AliasTable.TOTAL) - 1);
      }
    }
    long[] thirds = Shares.apportion(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0});
    assertThat(thirds).containsExactly(715_827_883L, 715_827_883L, 715_827_882L);
  }
}
