package dev.logwait.joiner.trainer;

import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.table.ConcurrentRunException;
import dev.logwait.joiner.table.Tables;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Cursor moves made by logwait's upkeep, not by trainers: past a deletion by {@code discard}, and
 * past an erasure by {@code forget} (carrying the rows the trainer had not read). Each is recorded
 * as a move by its command, naming no model.
 */
public final class CursorMoves {
  private final Tables tables;
  private final CursorLog log;
  private final Carry carry;

  public CursorMoves(SparkSession spark, JoinerConfig config) {
    this.tables = new Tables(spark, config);
    this.log = new CursorLog(spark, tables);
    this.carry = new Carry(spark, tables);
  }

  /**
   * Moves a trainer whose cursor was at a table's head past a deletion that {@code discard}
   * committed ({@code to}), so the snapshots before it can be expired. Recorded as a move by
   * discard: no model, no rows. For logwait's upkeep, not for trainers.
   */
  public Cursor movePastDeletion(Cursor at, long to) {
    CursorLog.Read read = log.read();
    Cursor latest = read.latest(at.trainer(), at.table());
    if (latest == null || latest.snapshotId() != at.snapshotId()) {
      return latest; // the trainer moved on by itself meanwhile
    }
    return moved(read, at, to, 0, Cursor.DISCARD);
  }

  /**
   * Moves a trainer past an erasure ({@code to}: the training table's snapshot after it) whose
   * scrub expires the snapshot its cursor points into, carrying {@code unread} (the prediction ids
   * of the rows it had not read yet, without the erased ones) into its next batch. Recorded as a
   * move by {@code forget}. For logwait's erasure, not for trainers.
   *
   * @throws ConcurrentRunException when the trainer's cursor moved since {@code at} was read
   */
  public Cursor moveAfterErasure(Cursor at, long to, Dataset<Row> unread) {
    CursorLog.Read read = log.read();
    Cursor latest = read.latest(at.trainer(), at.table());
    if (latest == null || latest.snapshotId() != at.snapshotId()) {
      throw new ConcurrentRunException(
          "trainer " + at.trainer() + " committed while its cursor was being moved", null);
    }
    long n = unread.count();
    if (n > 0) {
      carry.record(at.trainer(), at.table(), to, unread);
    }
    return moved(read, at, to, n, Cursor.ERASURE);
  }

  /** Records {@code at}'s trainer moved to {@code to} by logwait's upkeep, with no model. */
  private Cursor moved(CursorLog.Read read, Cursor at, long to, long rows, String movedBy) {
    Cursor c =
        new Cursor(
            at.trainer(),
            at.table(),
            to,
            TrainingData.finalThrough(tables, at.table(), tables.iceberg(at.table()).snapshot(to)),
            rows,
            null,
            null,
            Instant.now(),
            at.snapshotId(),
            movedBy);
    log.append(read, c);
    return c;
  }
}
