/**
 * Evaluation from the joined tables (DESIGN.md, "Evaluation"): join health as pictures, per model
 * version comparisons, off-policy evaluation of a candidate policy, and feature drift, in one
 * self-contained HTML report plus JSON. The estimators are plain Java over sums that Spark
 * aggregates; every figure carries the sample-rate weights.
 */
package dev.logwait.joiner.eval;
