package dev.logwait.joiner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logwait.joiner.eval.figures.Interval;
import org.junit.jupiter.api.Test;

/** The intervals against published and hand-computed values. */
class IntervalsTest {
  @Test
  void wilsonAtElevenRowsWithoutASuccess() {
    Interval i = Intervals.wilson(0, 11);
    assertThat(i.low()).isZero();
    assertThat(i.high()).isCloseTo(0.2588, within(1e-4)); // z² / (11 + z²)
  }

  /** Newcombe (1998), "Two-sided confidence intervals for the single proportion", table I. */
  @Test
  void wilsonAgainstNewcombesSingleProportionTable() {
    assertInterval(Intervals.wilson(81.0 / 263, 263), 0.2553, 0.3662);
    assertInterval(Intervals.wilson(15.0 / 148, 148), 0.0624, 0.1605);
    assertInterval(Intervals.wilson(0.0 / 20, 20), 0, 0.1611);
    assertInterval(Intervals.wilson(1.0 / 29, 29), 0.0061, 0.1718);
  }

  /**
   * Newcombe (1998), "Interval estimation for the difference between independent proportions",
   * table II, method 10: examples (a), (b) and (d) to (h), {@code b − a}.
   */
  @Test
  void newcombeAgainstItsPublishedExamples() {
    assertInterval(difference(56, 70, 48, 80), 0.0524, 0.3339);
    assertInterval(difference(9, 10, 3, 10), 0.1705, 0.8090);
    assertInterval(difference(5, 56, 0, 29), -0.0381, 0.1926);
    assertInterval(difference(0, 10, 0, 20), -0.1611, 0.2775);
    assertInterval(difference(0, 10, 0, 10), -0.2775, 0.2775);
    assertInterval(difference(10, 10, 0, 20), 0.6791, 1.0);
    assertInterval(difference(10, 10, 0, 10), 0.6075, 1.0);
  }

  @Test
  void aWeightedRateCountsItsRowsByTheEffectiveSampleSize() {
    // ten rows sampled at 50% (weight 2), no success: n_eff = 20² / 40 = 10
    Interval i = Intervals.rate(new Estimators.Moments(20, 40, 0, 0));
    assertThat(i.estimate()).isZero();
    assertThat(i.high()).isCloseTo(Intervals.wilson(0, 10).high(), within(1e-12));
  }

  @Test
  void aMeanHasAStudentTInterval() {
    // y = 1, 2, 3, 4: mean 2.5, s² = 5/3, t(0.975, 3) = 3.182446
    Interval i = Intervals.mean(new Estimators.Moments(4, 4, 10, 30));
    double half = 3.182446 * Math.sqrt(5.0 / 3 / 4);
    assertInterval(i, 2.5 - half, 2.5 + half);
  }

  @Test
  void aMeanOfEqualValuesOrOfOneRowHasNoIntervalRatherThanAZeroWidthOne() {
    Interval equal = Intervals.mean(new Estimators.Moments(5, 5, 0, 0));
    assertThat(equal.estimate()).isZero();
    assertThat(equal.low()).isNaN();
    assertThat(equal.high()).isNaN();
    assertThat(Intervals.mean(new Estimators.Moments(1, 1, 3, 9)).low()).isNaN();
  }

  @Test
  void aDifferenceOfMeansIsWelchs() {
    Estimators.Moments a = new Estimators.Moments(4, 4, 10, 30); // 1, 2, 3, 4
    Estimators.Moments b = new Estimators.Moments(5, 5, 30, 220); // 2, 4, 6, 8, 10
    double va = 5.0 / 3 / 4;
    double vb = 10.0 / 5;
    double df = (va + vb) * (va + vb) / (va * va / 3 + vb * vb / 4);
    assertThat(df).isCloseTo(5.52, within(0.01));
    Interval d = Intervals.meanDifference(a, b);
    double half = StudentT.quantile(0.975, df) * Math.sqrt(va + vb);
    assertThat(d.estimate()).isEqualTo(3.5);
    assertInterval(d, 3.5 - half, 3.5 + half);
    assertThat(StudentT.quantile(0.975, df)).isBetween(2.447, 2.571); // between t(6) and t(5)
  }

  @Test
  void groupsTooSmallToJudge() {
    assertThat(Intervals.tooSmall(new Estimators.Moments(11, 11, 0, 0), true)).isTrue();
    // 1,000 rows but 3 successes
    assertThat(Intervals.tooSmall(new Estimators.Moments(1000, 1000, 3, 3), true)).isTrue();
    // 1,000 rows, 997 successes: 3 failures
    assertThat(Intervals.tooSmall(new Estimators.Moments(1000, 1000, 997, 997), true)).isTrue();
    assertThat(Intervals.tooSmall(new Estimators.Moments(1000, 1000, 186, 186), true)).isFalse();
    // 40 rows, but weights 1 and 39 · 0.01: n_eff = 1.39² / 1.0039 < 30
    assertThat(Intervals.tooSmall(new Estimators.Moments(1.39, 1.0039, 0.7, 0.7), true)).isTrue();
    // a numeric label: only the effective rows count
    assertThat(Intervals.tooSmall(new Estimators.Moments(29, 29, 0, 0), false)).isTrue();
    assertThat(Intervals.tooSmall(new Estimators.Moments(30, 30, 0, 0), false)).isFalse();
  }

  private static Interval difference(int kb, int nb, int ka, int na) {
    return Intervals.newcombe(
        Intervals.wilson((double) ka / na, na), Intervals.wilson((double) kb / nb, nb));
  }

  private static void assertInterval(Interval i, double low, double high) {
    assertThat(i.low()).as("low of %s", i).isCloseTo(low, within(1e-4));
    assertThat(i.high()).as("high of %s", i).isCloseTo(high, within(1e-4));
  }
}
