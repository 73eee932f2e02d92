package dev.logwait.joiner.trainer;

import java.time.Instant;

/**
 * One move of a trainer's cursor: {@code trainer} consumed {@code table} through {@code snapshotId}
 * (rows final through {@code finalThrough}, the label watermark of that commit).
 *
 * <p>A move by the trainer ({@link #movedBy} {@value #TRAINER}) records the batch it read, the
 * snapshots after {@code afterSnapshot} (null: from the table's start) through {@code snapshotId},
 * and the model it produced ({@code modelVersion}) from {@code baseModel} (null: from scratch). A
 * move by {@code discard} ({@value #DISCARD}) only carries a trainer that had read everything past
 * the deletion; it names no model and counts no rows. A move by {@code forget} ({@value #ERASURE})
 * carries a trainer past an erasure whose snapshots it pointed into: {@code rows} is the number of
 * rows it had not read yet, which its next batch delivers (none erased, none twice).
 */
public record Cursor(
    String trainer,
    String table,
    long snapshotId,
    Instant finalThrough,
    long rows,
    String modelVersion,
    String baseModel,
    Instant committedAt,
    Long afterSnapshot,
    String movedBy) {
  /** {@link #movedBy} of a trainer's commit. */
  public static final String TRAINER = "trainer";

  /** {@link #movedBy} of a move past a deletion by {@code discard}. */
  public static final String DISCARD = "discard";

  /** {@link #movedBy} of a move past an erasure by {@code forget}. */
  public static final String ERASURE = "erasure";

  /** Whether this is a move by an erasure that carries rows the trainer had not read yet. */
  public boolean carries() {
    return ERASURE.equals(movedBy) && rows > 0;
  }

  /** Whether this move records a trained model (not a move made by upkeep). */
  public boolean trained() {
    return TRAINER.equals(movedBy);
  }
}
