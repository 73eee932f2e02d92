package dev.logwait.joiner.eval;

import dev.logwait.joiner.eval.figures.Interval;

/**
 * Weighted estimators over sums, hand-checkable: means with normal-approximation intervals, their
 * differences, AUC from a score histogram and the population stability index. A row's weight is its
 * sample-rate weight ({@code 1 / sample_rate}).
 */
public final class Estimators {
  /** Proportions below this are floored in {@link #psi}, so an empty bin does not give infinity. */
  static final double PSI_FLOOR = 1e-4;

  /** The standard normal's 97.5th percentile: two-sided 95% intervals. */
  static final double Z95 = 1.959963984540054;

  private Estimators() {}

  /**
   * Kish's effective sample size {@code (Σw)² / Σw²}: the number of unweighted rows that would
   * carry the same information.
   */
  public static double effectiveSampleSize(double sumW, double sumW2) {
    return sumW2 == 0 ? 0 : sumW * sumW / sumW2;
  }

  /** Weighted moments of a value: {@code Σw, Σw², Σwy, Σwy²}. */
  public record Moments(double sumW, double sumW2, double sumWy, double sumWy2) {
    public double mean() {
      return sumW == 0 ? Double.NaN : sumWy / sumW;
    }

    /** The weighted variance of the value (population form). */
    public double variance() {
      double m = mean();
      return Math.max(0, sumWy2 / sumW - m * m);
    }

    /** Standard error of the mean, with the effective sample size standing in for n. */
    public double standardError() {
      double n = effectiveSampleSize(sumW, sumW2);
      return n <= 1 ? Double.NaN : Math.sqrt(variance() / n);
    }

    public Interval meanInterval() {
      return normal(mean(), standardError());
    }
  }

  /** {@code b − a} with a normal-approximation interval (independent samples). */
  public static Interval difference(Moments a, Moments b) {
    double se = Math.hypot(a.standardError(), b.standardError());
    return normal(b.mean() - a.mean(), se);
  }

  /** The estimate ± 1.96 standard errors (normal approximation). */
  static Interval normal(double estimate, double standardError) {
    return new Interval(estimate, estimate - Z95 * standardError, estimate + Z95 * standardError);
  }

  /**
   * The area under the ROC curve from a histogram of scores: {@code positives[i]} and {@code
   * negatives[i]} are the weights of positive and negative rows in score bin {@code i} (bins in
   * increasing score). Pairs within one bin count as ties (half). NaN without both classes.
   */
  public static double auc(double[] positives, double[] negatives) {
    double negativesBelow = 0;
    double pairs = 0;
    double p = 0;
    for (int i = 0; i < positives.length; i++) {
      pairs += positives[i] * (negativesBelow + 0.5 * negatives[i]);
      negativesBelow += negatives[i];
      p += positives[i];
    }
    return p == 0 || negativesBelow == 0 ? Double.NaN : pairs / (p * negativesBelow);
  }

  /**
   * The population stability index {@code Σ (a − e) · ln(a / e)} of two distributions over the same
   * bins, given as weights (normalized here); proportions are floored at {@value #PSI_FLOOR}.
   * Common reading: below 0.1 stable, 0.1–0.25 moderate shift, above 0.25 major.
   */
  public static double psi(double[] expected, double[] actual) {
    double te = 0;
    double ta = 0;
    for (int i = 0; i < expected.length; i++) {
      te += expected[i];
      ta += actual[i];
    }
    if (te == 0 || ta == 0) {
      return Double.NaN;
    }
    double psi = 0;
    for (int i = 0; i < expected.length; i++) {
      double e = Math.max(expected[i] / te, PSI_FLOOR);
      double a = Math.max(actual[i] / ta, PSI_FLOOR);
      psi += (a - e) * Math.log(a / e);
    }
    return psi;
  }
}
