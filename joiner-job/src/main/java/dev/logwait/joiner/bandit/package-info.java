/**
 * Bandit posteriors from the joiner (docs/bandits-joiner.md): for every configured router, its
 * per-arm reward statistics as a function of one training snapshot, kept in the {@code
 * router_state} table (compare-and-swap on that table's snapshot) and published to a compacted
 * topic in the shipped {@code router_posterior} format after each run. The arithmetic ({@link
 * ArmSums}, {@link Statistics}, {@link Decay}) and the decision which snapshots to read ({@link
 * UpdatePlan}) are plain Java; the sums over rows are functions of Datasets ({@link
 * ArmAggregation}, {@link OpenPredictions}).
 */
package dev.logwait.joiner.bandit;
