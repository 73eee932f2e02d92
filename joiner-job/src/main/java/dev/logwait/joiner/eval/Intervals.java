package dev.logwait.joiner.eval;

import dev.logwait.joiner.eval.figures.Interval;

/**
 * Two-sided 95% intervals of weighted rates and means, and of their differences, that hold at small
 * counts and at rates near 0 or 1. Weighted rows enter through Kish's effective sample size {@code
 * n_eff = (Σw)² / Σw²} ({@link Estimators#effectiveSampleSize}), which stands in for n.
 *
 * <ul>
 *   <li>A rate (binary label): Wilson's score interval for {@code p = Σwy / Σw} and {@code n_eff}.
 *       Unlike the normal approximation it never collapses to a point at 0 or 1: with 11 rows and
 *       no success it is [0, 0.2588].
 *   <li>A difference of two rates: Newcombe's hybrid score interval (method 10 of Newcombe 1998)
 *       built from the two Wilson intervals; it never has zero width.
 *   <li>A mean (numeric label): Student's t with {@code n_eff − 1} degrees of freedom over the
 *       weighted variance corrected by {@code n_eff / (n_eff − 1)}; no interval (NaN bounds) where
 *       the rows show no spread or {@code n_eff <= 1}, since a zero-width interval would claim a
 *       certainty that a few equal values do not give.
 *   <li>A difference of two means: Welch's t interval (Welch–Satterthwaite degrees of freedom).
 * </ul>
 *
 * <p>A group is <em>too small to judge</em> when {@code n_eff < }{@value #MIN_EFFECTIVE_ROWS} or,
 * for a rate, when its effective successes {@code n_eff·p} or failures {@code n_eff·(1 − p)} are
 * fewer than {@value #MIN_OUTCOMES}: the usual conditions under which these intervals are trusted.
 * A difference is too small when either group is, and then no significance is claimed.
 */
final class Intervals {
  /** The standard normal's 97.5th percentile: two-sided 95% intervals. */
  static final double Z95 = 1.959963984540054;

  static final double MIN_EFFECTIVE_ROWS = 30;
  static final double MIN_OUTCOMES = 5;

  /** How the report's A/B intervals are made, in words (shown beside them). */
  static final String METHOD =
      "rates: Wilson score interval; differences of rates: Newcombe's hybrid score interval;"
          + " means: Student's t; differences of means: Welch's t. Weighted rows count by Kish's"
          + " effective sample size n_eff = (Σw)²/Σw². A group is too small to judge when n_eff < "
          + (int) MIN_EFFECTIVE_ROWS
          + " or, for a rate, when fewer than "
          + (int) MIN_OUTCOMES
          + " effective successes or failures; no difference involving it is called significant";

  private Intervals() {}

  /** The weighted rate {@code Σwy / Σw} with Wilson's interval at {@code n_eff}. */
  static Interval rate(Estimators.Moments m) {
    return wilson(m.mean(), m.effectiveRows());
  }

  /** Wilson's score interval of a rate {@code p} observed over {@code n} trials. */
  static Interval wilson(double p, double n) {
    if (!(n > 0) || !Double.isFinite(p)) {
      return new Interval(p, Double.NaN, Double.NaN);
    }
    double z2 = Z95 * Z95;
    double denominator = 1 + z2 / n;
    double center = (p + z2 / (2 * n)) / denominator;
    double half = Z95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    // clamped against rounding only: the score interval lies within [0, 1]
    return new Interval(p, Math.max(0, center - half), Math.min(1, center + half));
  }

  /** {@code b − a} of two rates with Newcombe's hybrid score interval. */
  static Interval rateDifference(Estimators.Moments a, Estimators.Moments b) {
    return newcombe(rate(a), rate(b));
  }

  /** {@code b − a} from the rates' Wilson intervals (Newcombe 1998, method 10). */
  static Interval newcombe(Interval a, Interval b) {
    double d = b.estimate() - a.estimate();
    double low = d - Math.hypot(b.estimate() - b.low(), a.high() - a.estimate());
    double high = d + Math.hypot(b.high() - b.estimate(), a.estimate() - a.low());
    return new Interval(d, low, high);
  }

  /** The weighted mean with a t interval; NaN bounds without spread or without two rows. */
  static Interval mean(Estimators.Moments m) {
    double n = m.effectiveRows();
    double s2 = sampleVariance(m);
    if (!(s2 > 0)) {
      return new Interval(m.mean(), Double.NaN, Double.NaN);
    }
    double half = StudentT.quantile(0.975, n - 1) * Math.sqrt(s2 / n);
    return new Interval(m.mean(), m.mean() - half, m.mean() + half);
  }

  /** {@code b − a} of two means with Welch's interval; NaN bounds where it cannot be made. */
  static Interval meanDifference(Estimators.Moments a, Estimators.Moments b) {
    double d = b.mean() - a.mean();
    double na = a.effectiveRows();
    double nb = b.effectiveRows();
    double va = sampleVariance(a) / na;
    double vb = sampleVariance(b) / nb;
    if (!(na > 1 && nb > 1 && va + vb > 0)) {
      return new Interval(d, Double.NaN, Double.NaN);
    }
    double df = (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1));
    double half = StudentT.quantile(0.975, df) * Math.sqrt(va + vb);
    return new Interval(d, d - half, d + half);
  }

  /** Whether a group's figures are too small to judge (see the class comment). */
  static boolean tooSmall(Estimators.Moments m, boolean binary) {
    double n = m.effectiveRows();
    if (!(n >= MIN_EFFECTIVE_ROWS)) {
      return true;
    }
    double p = m.mean();
    return binary && (n * p < MIN_OUTCOMES || n * (1 - p) < MIN_OUTCOMES);
  }

  /** The weighted variance with the {@code n_eff / (n_eff − 1)} correction; NaN below two rows. */
  private static double sampleVariance(Estimators.Moments m) {
    double n = m.effectiveRows();
    return n > 1 ? m.variance() * n / (n - 1) : Double.NaN;
  }
}
