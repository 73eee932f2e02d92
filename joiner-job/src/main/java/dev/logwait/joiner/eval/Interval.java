package dev.logwait.joiner.eval;

/** An estimate with a two-sided 95% interval. */
public record Interval(double estimate, double low, double high) {
  static final double Z95 = 1.959963984540054;

  /** The estimate ± 1.96 standard errors (normal approximation). */
  static Interval normal(double estimate, double standardError) {
    return new Interval(estimate, estimate - Z95 * standardError, estimate + Z95 * standardError);
  }

  boolean covers(double value) {
    return low <= value && value <= high;
  }
}
