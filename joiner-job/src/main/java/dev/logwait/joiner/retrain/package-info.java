/**
 * The retraining trigger (docs/design.md, "Continual learning"): conditions on the newest drift
 * rows, on a label's rate against a reference window, and on the rows a trainer has not read,
 * evaluated by {@code check} and by {@code stream --check-every}, each decision recorded in the
 * {@code triggers} table. The rules themselves ({@link dev.logwait.joiner.retrain.Conditions}) are
 * plain Java; {@link dev.logwait.joiner.retrain.RetrainCheck} gathers their evidence from the
 * tables.
 */
package dev.logwait.joiner.retrain;
