package dev.logwait.logger.bandit;

/** What a router's reward is, and so which posterior it keeps per arm. */
public enum RewardKind {
  /**
   * A reward in [0, 1] (a click, a purchase): a Beta posterior of each arm's rate, {@code
   * Beta(prior_alpha + reward_sum, prior_beta + weight - reward_sum)}.
   */
  BINARY,
  /**
   * Any real reward (revenue, minutes watched): a Normal posterior of each arm's mean, shrunk
   * towards the mean of all arms for arms with little data ({@link Router} states the formula).
   */
  NUMERIC
}
