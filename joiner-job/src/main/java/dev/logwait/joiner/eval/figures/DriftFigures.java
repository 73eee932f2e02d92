package dev.logwait.joiner.eval.figures;

import java.util.List;

/**
 * Feature drift: the rows served in {@code [currentFrom, currentTo)} against those of {@code
 * [referenceFrom, referenceTo)}, per model and feature, largest PSI first. All four instants are
 * null when the table has no row.
 *
 * @param skipped features that are not compared, with their type
 */
public record DriftFigures(
    String referenceFrom,
    String referenceTo,
    String currentFrom,
    String currentTo,
    List<FeatureDrift> features,
    List<String> skipped) {
  /**
   * One feature of one model.
   *
   * @param psi the population stability index; NaN (JSON null) when either period has no row
   */
  public record FeatureDrift(
      String model,
      String feature,
      String kind,
      double psi,
      double referenceWeight,
      double currentWeight) {}
}
