package dev.logwait.joiner.bandit;

/**
 * Which training rows a router's new statistics need, decided from its last state and the training
 * table's history alone, so that each snapshot is counted exactly once:
 *
 * <ul>
 *   <li>{@link Kind#PUBLISH}: the state is at the current snapshot already (a run that finds
 *       nothing new, or one after a run killed between committing the state and publishing it):
 *       publish it as it is.
 *   <li>{@link Kind#INCREMENT}: only appends (and rewrites of files, which change no row) lie
 *       between the state's snapshot and the current one: add the rows appended after the first
 *       through the second (Iceberg's incremental append read) to the state's sums, decayed.
 *   <li>{@link Kind#RECOMPUTE}: the whole table as of the current snapshot, when there is no state
 *       yet, the router's configuration changed, a snapshot in between changed or removed rows (a
 *       restatement's overwrite, a discard's or an erasure's delete), or the state's snapshot is no
 *       longer in the table's history (expired, rolled back).
 * </ul>
 *
 * @param fromExclusive the state's snapshot ({@link Kind#INCREMENT} only)
 * @param to the training snapshot the new statistics are as of
 * @param reason why, in words (for the run's progress lines)
 */
record UpdatePlan(Kind kind, Long fromExclusive, long to, String reason) {
  enum Kind {
    PUBLISH,
    INCREMENT,
    RECOMPUTE
  }

  /** One snapshot of the training table: its id and Iceberg operation. */
  record Step(long snapshotId, String operation) {}

  /** Iceberg operations that add rows ({@code append}) or only rewrite files ({@code replace}). */
  private static boolean keepsRows(String operation) {
    return "append".equals(operation) || "replace".equals(operation);
  }

  /**
   * @param last the router's state, or null
   * @param spec the router's {@link RouterState#specOf} now
   * @param current the training table's current snapshot
   * @param currentWatermark its label watermark (null when it has none)
   * @param decays whether the router has a half-life
   * @param newestFirst the current snapshot and its ancestors, newest first, as far as the table's
   *     history goes (read lazily: only up to the state's snapshot)
   */
  static UpdatePlan decide(
      RouterState last,
      String spec,
      long current,
      Long currentWatermark,
      boolean decays,
      Iterable<Step> newestFirst) {
    if (last == null) {
      return recompute(current, "no state yet");
    }
    if (!last.spec().equals(spec)) {
      return recompute(current, "the router's configuration changed");
    }
    if (last.trainingSnapshot() == current) {
      return new UpdatePlan(Kind.PUBLISH, null, current, "no new snapshot since the state");
    }
    if (decays && (last.labelWatermarkMicros() == null || currentWatermark == null)) {
      return recompute(current, "no label watermark to decay the kept sums by");
    }
    for (Step s : newestFirst) {
      if (s.snapshotId() == last.trainingSnapshot()) {
        return new UpdatePlan(
            Kind.INCREMENT,
            last.trainingSnapshot(),
            current,
            "rows appended after snapshot " + last.trainingSnapshot());
      }
      if (!keepsRows(s.operation())) {
        return recompute(
            current,
            "snapshot "
                + s.snapshotId()
                + " ("
                + s.operation()
                + ") changed or removed rows: a restatement, discard or erasure");
      }
    }
    return recompute(
        current,
        "snapshot "
            + last.trainingSnapshot()
            + " of the state is no longer in the table's history (expired or rolled back)");
  }

  private static UpdatePlan recompute(long current, String reason) {
    return new UpdatePlan(Kind.RECOMPUTE, null, current, reason);
  }
}
