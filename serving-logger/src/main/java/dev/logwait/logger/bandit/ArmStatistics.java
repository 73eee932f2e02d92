package dev.logwait.logger.bandit;

import java.util.Objects;

/**
 * One arm's reward statistics in a {@link RouterPosterior}, as the joiner computes them from
 * finalized training rows.
 *
 * @param arm the arm's name (a model version, an action)
 * @param weight the sum of the rows' weights (1 / sample rate, decayed)
 * @param rewardSum the sum of weight times reward
 * @param rewardSumSquares the sum of weight times reward squared
 * @param rows finalized rows counted (undecayed, unweighted)
 * @param waiting predictions of this arm logged but not finalized yet (their rewards are open)
 */
public record ArmStatistics(
    String arm, double weight, double rewardSum, double rewardSumSquares, long rows, long waiting) {
  /**
   * Checks that the arm has a name.
   *
   * @param arm the arm's name
   * @param weight the sum of the rows' weights
   * @param rewardSum the sum of weight times reward
   * @param rewardSumSquares the sum of weight times reward squared
   * @param rows finalized rows counted
   * @param waiting predictions still waiting for their rewards
   */
  public ArmStatistics {
    Objects.requireNonNull(arm, "arm");
  }
}
