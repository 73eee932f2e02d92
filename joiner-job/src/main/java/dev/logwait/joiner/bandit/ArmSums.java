package dev.logwait.joiner.bandit;

/**
 * One arm's reward statistics over the rows counted: {@code weight = Σw}, {@code rewardSum = Σw·r},
 * {@code rewardSumSquares = Σw·r²} with {@code w = 1 / sample_rate} (decayed, where the router
 * decays), and the number of rows ({@code rows}, neither weighted nor decayed).
 */
public record ArmSums(
    String arm, double weight, double rewardSum, double rewardSumSquares, long rows) {
  /** This arm's sums with another's of the same arm (rows of two disjoint sets). */
  ArmSums plus(ArmSums other) {
    if (!arm.equals(other.arm)) {
      throw new IllegalArgumentException("adding arm " + other.arm + " to arm " + arm);
    }
    return new ArmSums(
        arm,
        weight + other.weight,
        rewardSum + other.rewardSum,
        rewardSumSquares + other.rewardSumSquares,
        rows + other.rows);
  }

  /** Every weighted sum times {@code factor} (a decay); the row count stays. */
  ArmSums scaled(double factor) {
    return factor == 1
        ? this
        : new ArmSums(arm, weight * factor, rewardSum * factor, rewardSumSquares * factor, rows);
  }
}
