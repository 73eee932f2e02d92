package dev.logwait.logger.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProbabilityOfBestTest {
  /**
   * P(X2 > X1) for X1 ~ Beta(a1, b1), X2 ~ Beta(a2, b2) with integer a2 (Evan Miller's closed
   * form): sum over i < a2 of B(a1 + i, b1 + b2) / ((b2 + i) B(1 + i, b2) B(a1, b1)).
   */
  static double closedForm(int a1, int b1, int a2, int b2) {
    double total = 0;
    for (int i = 0; i < a2; i++) {
      total +=
          Math.exp(
              logBeta(a1 + i, b1 + b2) - Math.log(b2 + i) - logBeta(1 + i, b2) - logBeta(a1, b1));
    }
    return total;
  }

  /** log B(a, b) for whole a, b: sums of logs, exact to rounding. */
  static double logBeta(int a, int b) {
    return logFactorial(a - 1) + logFactorial(b - 1) - logFactorial(a + b - 1);
  }

  static double logFactorial(int n) {
    double s = 0;
    for (int k = 2; k <= n; k++) {
      s += Math.log(k);
    }
    return s;
  }

  @Test
  void twoBetaArmsAgreeWithTheClosedForm() {
    int[][] cases = {{3, 7, 5, 6}, {20, 80, 30, 70}, {1, 1, 2, 1}, {101, 901, 121, 881}};
    for (int[] c : cases) {
      double exact = closedForm(c[0], c[1], c[2], c[3]);
      double[] p =
          ProbabilityOfBest.beta(
              new double[] {c[0], c[2]},
              new double[] {c[1], c[3]},
              400_000,
              new SplittableRandom(11));
      // 400k draws: standard error at most 0.0008; 0.004 is five of them
      assertThat(p[1])
          .as("P(arm 2 best) for %s", java.util.Arrays.toString(c))
          .isCloseTo(exact, within(0.004));
      assertThat(p[0] + p[1]).isCloseTo(1.0, within(1e-12));
    }
  }

  @Test
  void twoNormalArmsAgreeWithTheClosedForm() {
    double m1 = 10;
    double s1 = 2;
    double m2 = 11;
    double s2 = 1.5;
    double[] p =
        ProbabilityOfBest.normal(
            new double[] {m1, m2}, new double[] {s1, s2}, 400_000, new SplittableRandom(5));
    double exact = phi((m2 - m1) / Math.sqrt(s1 * s1 + s2 * s2)); // Φ(0.4) = 0.65542
    assertThat(exact).isCloseTo(0.65542, within(1e-4));
    assertThat(p[1]).isCloseTo(exact, within(0.004));
  }

  /** The standard normal CDF (Zelen and Severo, 26.2.17; error below 7.5e-8). */
  static double phi(double x) {
    double t = 1 / (1 + 0.2316419 * Math.abs(x));
    double d = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    double q =
        d
            * t
            * (0.319381530
                + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
    return x >= 0 ? 1 - q : q;
  }

  @Test
  void identicalArmsShareExactlyAndWithoutNoise() {
    assertThat(
            ProbabilityOfBest.beta(
                new double[] {3, 3, 3}, new double[] {9, 9, 9}, 1_000, new SplittableRandom(1)))
        .containsExactly(1 / 3.0, 1 / 3.0, 1 / 3.0);
    // zero variance, one mean above the rest: that arm always
    assertThat(
            ProbabilityOfBest.normal(
                new double[] {1, 2, 1}, new double[] {0, 0, 0}, 1_000, new SplittableRandom(1)))
        .containsExactly(0.0, 1.0, 0.0);
  }

  @Test
  void tiesAreSharedAtRandom() {
    double[] p =
        ProbabilityOfBest.normal(
            new double[] {2, 2, 1}, new double[] {0, 0, 0.0}, 100_000, new SplittableRandom(2));
    // arms 0 and 1 are equal and best; the third differs, so this is sampled, not the shortcut
    assertThat(p[0]).isCloseTo(0.5, within(0.01));
    assertThat(p[1]).isCloseTo(0.5, within(0.01));
    assertThat(p[2]).isZero();
  }

  @Test
  void gammaDrawsHaveTheirMeanForSmallAndLargeShapes() {
    SplittableRandom rng = new SplittableRandom(9);
    for (double shape : new double[] {0.3, 1.0, 2.5, 1_000, 1e7}) {
      int n = 200_000;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += Math.exp(ProbabilityOfBest.logGamma(shape, rng));
      }
      // the mean is the shape, with standard error sqrt(shape / n)
      assertThat(sum / n)
          .as("mean of Gamma(%s)", shape)
          .isCloseTo(shape, within(5 * Math.sqrt(shape / n)));
    }
  }
}
