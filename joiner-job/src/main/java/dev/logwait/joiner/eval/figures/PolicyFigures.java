package dev.logwait.joiner.eval.figures;

/**
 * Off-policy evaluation of a candidate policy on the logged rows that carry an action and its
 * propensity; the rows left out are counted.
 *
 * @param candidate the candidate's name (its file or table)
 * @param reward the label column that is the reward
 * @param loggedRows every row of the table
 * @param withAction rows that carry an action
 * @param positivityViolations rows with an action whose propensity is missing, zero or above one
 * @param withoutCandidate rows the candidate gives no probability for
 * @param loggingPolicy the logging policy evaluated as if it were a candidate (the sanity check)
 * @param candidateValue null when no candidate was given
 * @param weights null when no candidate was given
 * @param blocks how many blocks of rows the bootstrap resamples
 */
public record PolicyFigures(
    String candidate,
    String reward,
    long loggedRows,
    long withAction,
    long positivityViolations,
    long withoutCandidate,
    PolicyEstimate loggingPolicy,
    PolicyEstimate candidateValue,
    Weights weights,
    int blocks) {
  /** The candidate's importance weights: their effective sample size, largest and clipping. */
  public record Weights(
      double effectiveSampleSize, double maxWeight, double clippedShare, double clipCap) {}
}
