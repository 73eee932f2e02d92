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
   * @param effectiveRows Kish's effective sample size {@code (Σw)²/Σw²} of its rows
   * @param mean the weighted rate (binary label) or mean, with its interval
   * @param tooSmall whether the group is too small to judge (the method says when)
   */
  public record Variant(
      String variant,
      long rows,
      double weightedRows,
      double effectiveRows,
      Interval mean,
      boolean tooSmall,
      Double logLoss,
      Double auc,
      Double meanAbsoluteError,
      Double rootMeanSquaredError,
      List<Calibration> calibration) {}

  /**
   * {@code variant − baseline}.
   *
   * @param tooSmall whether either group is too small to judge
   * @param excludesZero whether the interval lies on one side of 0; null when too small to judge
   */
  public record Difference(
      String baseline,
      String variant,
      Interval difference,
      boolean tooSmall,
      Boolean excludesZero) {}

  /** One label over every variant, each compared with the baseline. */
  public record LabelComparison(
      String label,
      boolean binary,
      boolean scored,
      String baseline,
      List<Variant> variants,
      List<Difference> differences) {}
}
