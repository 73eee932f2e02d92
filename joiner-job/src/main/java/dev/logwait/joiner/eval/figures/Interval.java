package dev.logwait.joiner.eval.figures;

/**
 * An estimate with a two-sided 95% interval; {@code low} and {@code high} are NaN (JSON null) where
 * no interval can be given.
 */
public record Interval(double estimate, double low, double high) {
  /** Whether the interval holds {@code value} (false where it has no bounds). */
  public boolean covers(double value) {
    return low <= value && value <= high;
  }
}
