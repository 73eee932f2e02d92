package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import dev.logwait.joiner.semantics.EventTimeGuard;
import java.sql.Timestamp;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RelationalGroupedDataset;
import org.apache.spark.sql.Row;

/**
 * What ingest needs to know of a decoded batch before writing it, from one aggregation: how many
 * rows, the range of their event time (which bounds the table reads of deduplication and the orphan
 * count) and the latest event time per Kafka partition (label progress), bounded by the records'
 * Kafka timestamps ({@link EventTimeGuard#progressTime}).
 *
 * @param latestByPartition {@code partition -> latest event time (micros)}, never past the latest
 *     Kafka timestamp of that partition's records
 */
record BatchStats(
    long rows, Timestamp earliest, Timestamp latest, Map<String, Long> latestByPartition) {

  /** One job over {@code rows}, grouped by {@code kafka_partition}, on event time {@code time}. */
  static BatchStats of(Dataset<Row> rows, String time) {
    return fold(aggregated(rows.groupBy("kafka_partition"), time).collectAsList(), 0);
  }

  /**
   * The groups with the aggregates {@link #fold} reads after the group columns: count, earliest and
   * latest event time, and the latest progress time.
   */
  static Dataset<Row> aggregated(RelationalGroupedDataset groups, String time) {
    return groups.agg(
        count(lit(1)),
        min(col(time)),
        max(col(time)),
        max(EventTimeGuard.progressTime(col(time), col("kafka_timestamp"))));
  }

  /**
   * Statistics of aggregated groups, one per Kafka partition: {@code kafka_partition} at column
   * {@code 0}, the {@link #aggregated} columns from {@code first + 1} on.
   */
  static BatchStats fold(Iterable<Row> groups, int first) {
    return fold(groups, first, 0);
  }

  /** As {@link #fold(Iterable, int)}, with {@code kafka_partition} at column {@code partition}. */
  static BatchStats fold(Iterable<Row> groups, int first, int partition) {
    long n = 0;
    Timestamp earliest = null;
    Timestamp latest = null;
    Map<String, Long> byPartition = new TreeMap<>();
    for (Row r : groups) {
      n += r.getLong(first + 1);
      if (r.isNullAt(first + 2)) {
        continue; // no event time in this partition's rows
      }
      Timestamp lo = r.getTimestamp(first + 2);
      Timestamp hi = r.getTimestamp(first + 3);
      earliest = earliest == null || lo.before(earliest) ? lo : earliest;
      latest = latest == null || hi.after(latest) ? hi : latest;
      byPartition.put(String.valueOf(r.getInt(partition)), r.getLong(first + 4));
    }
    return new BatchStats(n, earliest, latest, byPartition);
  }
}
