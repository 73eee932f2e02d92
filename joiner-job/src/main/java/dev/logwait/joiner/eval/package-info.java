/**
 * Evaluation from the joined tables (docs/design.md, "Evaluation"): join health, per model version
 * comparisons, off-policy evaluation of a candidate policy, feature drift, and the bandit routers'
 * posteriors (docs/bandits-joiner.md). The sections ({@code *Section}) aggregate in Spark and hand
 * the sums to plain-Java estimators ({@link Estimators}, {@link OffPolicy}, {@link Comparison});
 * what they compute are the figure records of {@code eval.figures}, whose JSON is the report's
 * contract and which {@code eval.page} renders as HTML. Every figure carries the sample-rate
 * weights.
 */
package dev.logwait.joiner.eval;
