/**
 * Bandit routing: a {@link dev.logwait.logger.bandit.Router} chooses one of its arms per request by
 * Thompson sampling over the posteriors the joiner publishes, and reports the exact probability of
 * each choice, for the prediction's {@code propensity}. Usable with the {@code PredictionLogger} or
 * alone; see {@code docs/bandits.md}.
 */
package dev.logwait.logger.bandit;
