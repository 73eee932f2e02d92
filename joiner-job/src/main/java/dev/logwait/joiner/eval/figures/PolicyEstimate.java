package dev.logwait.joiner.eval.figures;

/**
 * A policy's estimated value.
 *
 * @param ips inverse propensity scoring, with its bootstrap interval
 * @param snips self-normalized IPS, with its bootstrap interval
 * @param observedReward the logging policy's weighted mean reward (what evaluating the logging
 *     policy itself must reproduce)
 * @param rows rows that entered the estimate
 * @param replicates bootstrap replicates
 */
public record PolicyEstimate(
    Interval ips, Interval snips, double observedReward, long rows, int replicates) {}
