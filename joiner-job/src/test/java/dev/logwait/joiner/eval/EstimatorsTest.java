package dev.logwait.joiner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The estimators against values computed by hand. */
class EstimatorsTest {
  @Test
  void effectiveSampleSizeOfUnequalWeights() {
    // weights 1, 1, 2: (4)² / 6
    assertThat(Estimators.effectiveSampleSize(4, 6)).isCloseTo(16.0 / 6, within(1e-12));
    assertThat(Estimators.effectiveSampleSize(3, 3)).isEqualTo(3.0);
  }

  @Test
  void weightedMoments() {
    // y = 1, 0, 1 with weights 1, 1, 2
    Estimators.Moments m = new Estimators.Moments(4, 6, 3, 3);
    assertThat(m.mean()).isEqualTo(0.75);
    assertThat(m.variance()).isCloseTo(0.1875, within(1e-12));
    assertThat(m.effectiveRows()).isCloseTo(16.0 / 6, within(1e-12));
  }

  @Test
  void aucFromAScoreHistogramCountsTiesAsHalf() {
    // positives in bins 1 and 2, negatives in bins 0 and 1: pairs 1 + 0.5 + 1 + 1 of 4
    assertThat(Estimators.auc(new double[] {0, 1, 1}, new double[] {1, 1, 0})).isEqualTo(0.875);
    assertThat(Estimators.auc(new double[] {0, 0, 3}, new double[] {2, 0, 0})).isEqualTo(1.0);
    assertThat(Estimators.auc(new double[] {1, 1}, new double[] {1, 1})).isEqualTo(0.5);
    assertThat(Estimators.auc(new double[] {1, 1}, new double[] {0, 0})).isNaN();
  }

  @Test
  void populationStabilityIndex() {
    double expected = -0.25 * Math.log(0.5) + 0.25 * Math.log(1.5);
    assertThat(Estimators.psi(new double[] {5, 5}, new double[] {1, 3}))
        .isCloseTo(expected, within(1e-12));
    assertThat(Estimators.psi(new double[] {1, 2, 3}, new double[] {2, 4, 6})).isZero();
    // an empty bin is floored, not infinite
    assertThat(Estimators.psi(new double[] {1, 0}, new double[] {1, 1})).isFinite().isPositive();
  }
}
