/**
 * Trainer cursors (docs/design.md, "Continual learning"): a named trainer reads the training rows
 * committed since its cursor, trains, then commits the cursor with the model version it produced
 * and the model it started from. Reads are incremental over the training table's append snapshots;
 * the {@code cursors} table keeps every commit, so it is also the models' lineage.
 */
package dev.logwait.joiner.trainer;
