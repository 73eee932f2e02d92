package dev.logwait.joiner.trainer;

/**
 * A cursor commit refused because of the state of the cursor, not because of how it was asked: the
 * cursor moved since the batch was read, or the batch holds nothing. Nothing was recorded; the
 * trainer reads its next batch and trains on that.
 */
public final class CommitRefusedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  CommitRefusedException(String message) {
    super(message);
  }

  /**
   * The batch after {@code after} through {@code to} no longer starts at the trainer's cursor,
   * which is now {@code at} (null: the trainer has no cursor).
   */
  static CommitRefusedException cursorMoved(
      String trainer, String table, Long after, long to, Cursor at) {
    String batch =
        "snapshots "
            + (after == null ? "from the start of the table" : "after " + after)
            + " through "
            + to;
    String now;
    if (at == null) {
      now = "has no cursor yet (read a first batch with next)";
    } else if (at.snapshotId() == to && java.util.Objects.equals(at.afterSnapshot(), after)) {
      now =
          "is at the batch's end: the batch was committed already (at "
              + at.committedAt()
              + (at.modelVersion() == null ? "" : ", as model " + at.modelVersion())
              + ")";
    } else {
      now =
          "is at snapshot "
              + at.snapshotId()
              + " (moved "
              + (at.trained() ? "by a commit" : "by " + at.movedBy())
              + " at "
              + at.committedAt()
              + (at.modelVersion() == null ? "" : ", model " + at.modelVersion())
              + ")";
    }
    return new CommitRefusedException(
        "trainer "
            + trainer
            + "'s cursor on "
            + table
            + " moved since this batch ("
            + batch
            + ") was read: it "
            + now
            + ". Nothing was committed; read the next batch with next and train on it.");
  }
}
