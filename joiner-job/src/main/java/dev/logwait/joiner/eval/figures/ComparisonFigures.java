package dev.logwait.joiner.eval.figures;

import java.util.List;

/**
 * Models and versions (the A/B view), per label.
 *
 * @param method how the intervals are made, in words
 */
public record ComparisonFigures(String method, List<LabelComparison> labels) {
  /** One decile of score weight: the mean predicted score against the observed rate. */
  public record Calibration(int decile, double meanPredicted, double observed, double weight) {}

  /**
   * One {@code model/version}.
   *
   * @param mean the weighted rate (binary label) or mean, with its interval
   */
  public record Variant(
      String variant,
      long rows,
      double weightedRows,
      Interval mean,
      Double logLoss,
      Double auc,
      Double meanAbsoluteError,
      Double rootMeanSquaredError,
      List<Calibration> calibration) {}

  /** {@code variant − baseline}. */
  public record Difference(String baseline, String variant, Interval difference) {}

  /** One label over every variant, each compared with the baseline. */
  public record LabelComparison(
      String label,
      boolean binary,
      boolean scored,
      String baseline,
      List<Variant> variants,
      List<Difference> differences) {}
}
