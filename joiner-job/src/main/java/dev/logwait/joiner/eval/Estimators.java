package dev.logwait.joiner.eval;

/**
 * Weighted estimators over sums, hand-checkable: weighted moments, the effective sample size, AUC
 * from a score histogram and the population stability index ({@link Intervals} gives the
 * intervals). A row's weight is its sample-rate weight ({@code 1 / sample_rate}).
 */
final class Estimators {
  /** Proportions below this are floored in {@link #psi}, so an empty bin does not give infinity. */
  static final double PSI_FLOOR = 1e-4;

  private Estimators() {}

  /**
   * Kish's effective sample size {@code (Σw)² / Σw²}: the number of unweighted rows that would
   * carry the same information.
   */
  static double effectiveSampleSize(double sumW, double sumW2) {
    return sumW2 == 0 ? 0 : sumW * sumW / sumW2;
  }

  /** Weighted moments of a value: {@code Σw, Σw², Σwy, Σwy²}. */
  record Moments(double sumW, double sumW2, double sumWy, double sumWy2) {
    double mean() {
      return sumW == 0 ? Double.NaN : sumWy / sumW;
    }

    /** The weighted variance of the value (population form). */
    double variance() {
      double m = mean();
      return Math.max(0, sumWy2 / sumW - m * m);
    }

    /** Kish's effective sample size of these rows ({@link #effectiveSampleSize}). */
    double effectiveRows() {
      return effectiveSampleSize(sumW, sumW2);
    }
  }

  /**
   * The area under the ROC curve from a histogram of scores: {@code positives[i]} and {@code
   * negatives[i]} are the weights of positive and negative rows in score bin {@code i} (bins in
   * increasing score). Pairs within one bin count as ties (half). NaN without both classes.
   */
  static double auc(double[] positives, double[] negatives) {
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
  static double psi(double[] expected, double[] actual) {
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
