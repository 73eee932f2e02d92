package dev.logwait.joiner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logwait.joiner.eval.figures.Interval;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The routers' posteriors against closed forms. */
class PosteriorsTest {
  @Test
  void betaQuantilesAgainstClosedForms() {
    // Beta(1, 1) is uniform; Beta(a, 1) has the distribution function x^a; Beta(1, b), 1 − (1 −
    // x)^b
    assertThat(Posteriors.betaQuantile(0.025, 1, 1)).isCloseTo(0.025, within(1e-12));
    assertThat(Posteriors.betaQuantile(0.975, 4, 1))
        .isCloseTo(Math.pow(0.975, 0.25), within(1e-12));
    assertThat(Posteriors.betaQuantile(0.025, 1, 9))
        .isCloseTo(1 - Math.pow(0.975, 1.0 / 9), within(1e-12));
    // Beta(2, 2): 3x² − 2x³ = 0.025 at x = 0.0942993 (R: qbeta(0.025, 2, 2))
    assertThat(Posteriors.betaQuantile(0.025, 2, 2)).isCloseTo(0.0942993, within(1e-6));
  }

  @Test
  void aBetaOfManyRowsIsNearlyNormalAndItsQuantilesConverge() { // up to 5e10 weighted rows
    for (double n : new double[] {5e4, 5e6, 5e8, 5e10}) {
      double a = 0.1 * n;
      double b = 0.9 * n;
      Interval i = Posteriors.binary(1, 1, n - 2, a - 1).interval();
      double mean = a / n;
      double sd = Math.sqrt(a * b / (n * n * (n + 1)));
      assertThat(i.estimate()).isCloseTo(mean, within(1e-12));
      // the skew is tiny: within 2% of a standard deviation of the normal approximation
      assertThat(i.low()).isCloseTo(mean - Intervals.Z95 * sd, within(0.02 * sd));
      assertThat(i.high()).isCloseTo(mean + Intervals.Z95 * sd, within(0.02 * sd));
      assertThat(StudentT.regularizedBeta(i.low(), a, b)).isCloseTo(0.025, within(1e-6));
    }
  }

  @Test
  void aBinaryArmAddsItsWeightedRewardsToThePrior() {
    // prior Beta(2, 30); Σw = 100 (50 rows sampled at 0.5), Σw·r = 10
    Posteriors.Posterior p = Posteriors.binary(2, 30, 100, 10);
    assertThat(p).isEqualTo(new Posteriors.BetaPosterior(12, 120));
    assertThat(p.interval().estimate()).isCloseTo(12.0 / 132, within(1e-12));
    assertThat(StudentT.regularizedBeta(p.interval().high(), 12, 120))
        .isCloseTo(0.975, within(1e-9));
  }

  @Test
  void aNumericArmsMeanIsNormalWithTheWeightsAsCount() {
    // rewards 1, 2, 3, 4 with weight 1: mean 2.5, s² = 5/3, sd of the mean √(5/3 / 4)
    Interval i = Posteriors.numeric(4, 10, 30).interval();
    double half = Intervals.Z95 * Math.sqrt(5.0 / 3 / 4);
    assertThat(i.estimate()).isEqualTo(2.5);
    assertThat(i.low()).isCloseTo(2.5 - half, within(1e-12));
    assertThat(i.high()).isCloseTo(2.5 + half, within(1e-12));
    // one row, or equal rewards: no interval rather than a point
    assertThat(Posteriors.numeric(1, 3, 9)).isEqualTo(new Posteriors.NoPosterior(3));
    assertThat(Double.isNaN(Posteriors.numeric(5, 10, 20).interval().low())).isTrue();
    assertThat(Double.isNaN(Posteriors.numeric(0, 0, 0).interval().estimate())).isTrue();
  }

  @Test
  void theProbabilityOfBeingBestAgainstClosedForms() {
    // P(B > A) for Beta(3, 7) and Beta(5, 5), Evan Miller's sum for an integer alpha of B
    double closed = betaBeats(5, 5, 3, 7);
    double[] mc =
        Posteriors.probabilityBest(
            List.of(new Posteriors.BetaPosterior(3, 7), new Posteriors.BetaPosterior(5, 5)),
            Posteriors.DRAWS,
            Posteriors.SEED);
    double sd = Math.sqrt(closed * (1 - closed) / Posteriors.DRAWS);
    assertThat(mc[1]).isCloseTo(closed, within(4 * sd));
    assertThat(mc[0] + mc[1]).isCloseTo(1, within(1e-12));
    // two normals: Φ((m2 − m1) / √(s1² + s2²)) = Φ(1) = 0.841345
    double[] normal =
        Posteriors.probabilityBest(
            List.of(
                new Posteriors.NormalPosterior(10, 3),
                new Posteriors.NormalPosterior(15, 4),
                new Posteriors.NoPosterior(99)),
            Posteriors.DRAWS,
            Posteriors.SEED);
    assertThat(normal[1]).isCloseTo(0.841345, within(4 * Math.sqrt(0.84 * 0.16 / 1e4)));
    assertThat(normal[2]).isNaN();
    // the same seed, the same figures
    assertThat(
            Posteriors.probabilityBest(
                List.of(new Posteriors.BetaPosterior(3, 7), new Posteriors.BetaPosterior(5, 5)),
                Posteriors.DRAWS,
                Posteriors.SEED))
        .containsExactly(mc);
    assertThat(
            Posteriors.probabilityBest(
                List.of(new Posteriors.NoPosterior(Double.NaN)), 10, Posteriors.SEED)[0])
        .isNaN();
  }

  @Test
  void gammaDrawsHaveTheirMeans() {
    Random rnd = new Random(3);
    for (double shape : new double[] {0.3, 1, 4.5, 2000}) {
      double sum = 0;
      int n = 40_000;
      for (int i = 0; i < n; i++) {
        sum += Posteriors.gamma(shape, rnd);
      }
      // the mean of Gamma(k, 1) is k, its variance k
      assertThat(sum / n).as("shape " + shape).isCloseTo(shape, within(5 * Math.sqrt(shape / n)));
    }
  }

  /** P(X_B > X_A), X_A ~ Beta(aA, bA), X_B ~ Beta(aB, bB), aB a whole number. */
  private static double betaBeats(int aB, int bB, int aA, int bA) {
    double total = 0;
    for (int i = 0; i < aB; i++) {
      total +=
          Math.exp(
              logBeta(aA + i, bB + bA) - Math.log(bB + i) - logBeta(1 + i, bB) - logBeta(aA, bA));
    }
    return total;
  }

  private static double logBeta(double a, double b) {
    return StudentT.logGamma(a) + StudentT.logGamma(b) - StudentT.logGamma(a + b);
  }
}
