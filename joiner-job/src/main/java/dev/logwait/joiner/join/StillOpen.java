package dev.logwait.joiner.join;

import static org.apache.spark.sql.functions.col;

import dev.logwait.joiner.ingest.Requeue;
import dev.logwait.joiner.kafka.Positions;
import dev.logwait.joiner.semantics.Watermark;
import dev.logwait.joiner.table.Tables;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Column;

/**
 * Which stored predictions an incremental join must look at: every one not yet finalized was served
 * at or after the last join's {@link #OPEN_FROM}, appended to the raw table past its {@link
 * #RAW_POSITION}, or added by a {@code requeue} since its {@link #RAW_SNAPSHOT}.
 */
final class StillOpen {
  private StillOpen() {}

  /** Snapshot property on training tables: the earliest serving time (micros) still open. */
  static final String OPEN_FROM = "logwait.open-from";

  /** Snapshot property on training tables: the raw table's position the join had read up to. */
  static final String RAW_POSITION = "logwait.raw-position";

  /** Snapshot property on training tables: the raw table's snapshot the join read. */
  static final String RAW_SNAPSHOT = "logwait.raw-snapshot";

  /**
   * The stored predictions an earlier join of this training table left open: served at or after its
   * {@link #OPEN_FROM}, or appended to the raw table past its {@link #RAW_POSITION}. Null (read
   * them all) when the table has no such join yet, or when the position is of another topic than
   * the configured one.
   */
  static Column filter(Map<String, String> lastJoin, String predictionsTopic) {
    String openFrom = lastJoin.get(OPEN_FROM);
    String json = lastJoin.get(RAW_POSITION);
    if (openFrom == null || json == null) {
      return null;
    }
    Positions position = Positions.fromJson(json);
    if (!position.onlyOf(predictionsTopic)) {
      return null;
    }
    return col("served_at")
        .geq(Watermark.instant(Long.parseLong(openFrom)))
        .or(position.atOrPast(predictionsTopic));
  }

  /**
   * The earliest serving time that a {@code requeue} added to {@code raw_predictions} after the
   * snapshot an earlier join read ({@code since}, null: ever) up to {@code current}; null if none.
   * Requeued predictions carry old offsets and serving times, outside the incremental bounds.
   */
  static Long requeuedSince(Tables tables, String since, long current) {
    org.apache.iceberg.Table raw = tables.iceberg(Tables.RAW_PREDICTIONS);
    Long earliest = null;
    for (Snapshot s : SnapshotUtil.ancestorsOf(current, raw::snapshot)) {
      if (String.valueOf(s.snapshotId()).equals(since)) {
        break;
      }
      String from = s.summary().get(Requeue.REQUEUED_FROM);
      if (from != null) {
        earliest =
            earliest == null ? Long.parseLong(from) : Math.min(earliest, Long.parseLong(from));
      }
    }
    return earliest;
  }
}
