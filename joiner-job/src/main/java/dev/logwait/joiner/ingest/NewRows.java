package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.col;

import dev.logwait.joiner.semantics.Dedup;
import dev.logwait.joiner.table.TombstoneCheck;
import dev.logwait.joiner.table.Tombstones;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The rows of a batch that a raw table takes: none whose key logwait deleted on purpose ({@link
 * Tombstones}: deleted stays deleted), then the first copy of each key not already in the table
 * ({@link Dedup}).
 *
 * @param dropped rows dropped because their key was deleted, by the deletion's reason
 */
record NewRows(Dataset<Row> rows, Map<String, Long> dropped) {

  /**
   * @param tombstones the tombstones that can match the batch, or null when none can
   * @param existing the table the rows go to
   */
  static NewRows of(
      Dataset<Row> good,
      String key,
      String time,
      BatchStats stats,
      TombstoneCheck tombstones,
      Dataset<Row> existing) {
    Dataset<Row> live = good;
    Map<String, Long> dropped = new TreeMap<>();
    if (tombstones != null) {
      Dataset<Row> matches = tombstones.matches(good).persist(StorageLevel.MEMORY_AND_DISK());
      for (Row r : matches.groupBy("reason").count().collectAsList()) {
        dropped.put(r.getString(0), r.getLong(1));
      }
      if (!dropped.isEmpty()) {
        live = Dedup.withoutCoordinates(good, matches.select(col("_p"), col("_o")));
      }
      matches.unpersist();
    }
    return new NewRows(
        Dedup.firstNewCopies(live, key, time, stats.earliest(), stats.latest(), existing), dropped);
  }
}
