package dev.logwait.joiner.semantics;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * docs/design.md, "Duplicates": predictions dedup on {@code prediction_id}, labels on {@code
 * event_id}, across runs; the first copy (lowest Kafka partition, then offset) is kept.
 * Deduplication that never shuffles the wide rows (a prediction carries every feature): the keys
 * alone are grouped and joined to find the Kafka coordinates of the copies to drop, a set that is
 * small in practice and broadcast; the wide rows only pass through an anti-join against it.
 */
public final class Dedup {
  /** Above this many rows to drop, the drop set is joined without a broadcast hint. */
  static final long BROADCAST_MAX_ROWS = 2_000_000;

  /** Up to this many rows to drop, the drop set is collected to the driver. */
  public static final int LOCAL_MAX_ROWS = 100_000;

  /** The bits of {@link #coordinates} below the partition: the offset's. */
  private static final int OFFSET_BITS = 48;

  /** The highest log-end offset a partition may have for {@link #coordinates} to order it. */
  public static final long MAX_END_OFFSET = 1L << OFFSET_BITS;

  /** The highest partition number {@link #coordinates} orders (the sign bit stays clear). */
  public static final int MAX_PARTITION = (1 << (Long.SIZE - 1 - OFFSET_BITS)) - 1;

  private Dedup() {}

  /**
   * The first copy (lowest Kafka partition, then offset) of every key in {@code rows} whose key is
   * not already in {@code existing}. Deterministic: a rerun keeps the same copy.
   *
   * @param rows decoded rows with {@code kafka_partition} and {@code kafka_offset}
   * @param key the deduplication key column
   * @param time the event-time column; copies of a key share it, so {@code existing} is read only
   *     for the batch's time range (the tables are partitioned by day on it)
   * @param earliest the rows' earliest {@code time}, with {@code latest} bounding the read of
   *     {@code existing} (both null when there are no rows)
   * @param existing the table the rows go to (its {@code key} and {@code time} columns are read)
   */
  public static Dataset<Row> firstNewCopies(
      Dataset<Row> rows,
      String key,
      String time,
      java.sql.Timestamp earliest,
      java.sql.Timestamp latest,
      Dataset<Row> existing) {
    return without(rows, dropSet(rows, key, time, earliest, latest, existing));
  }

  /**
   * The Kafka coordinates ({@code _p} partition, {@code _o} offset) of the rows {@link
   * #firstNewCopies} leaves out: later copies of a key within {@code rows}, and copies of keys
   * already in {@code existing}. Unevaluated, so that several tables' sets can be computed in one
   * job.
   */
  public static Dataset<Row> dropSet(
      Dataset<Row> rows,
      String key,
      String time,
      java.sql.Timestamp earliest,
      java.sql.Timestamp latest,
      Dataset<Row> existing) {
    Dataset<Row> ids =
        rows.select(col(key), col(time), col("kafka_partition"), col("kafka_offset"));
    Column coordinates = coordinates();
    Dataset<Row> repeated =
        ids.groupBy(col(key).as("_k"))
            .agg(min(coordinates).as("_first"), count(lit(1)).as("_n"))
            .filter(col("_n").gt(1));
    Dataset<Row> laterCopies =
        ids.join(repeated, ids.col(key).equalTo(repeated.col("_k")))
            .filter(coordinates.notEqual(col("_first")))
            .select(col("kafka_partition").as("_p"), col("kafka_offset").as("_o"));
    Dataset<Row> known = existing.select(col(key).as("_k"));
    if (earliest != null) {
      known = existing.filter(col(time).between(earliest, latest)).select(col(key).as("_k"));
    }
    Dataset<Row> alreadyWritten =
        ids.join(known, ids.col(key).equalTo(known.col("_k")), "left_semi")
            .select(col("kafka_partition").as("_p"), col("kafka_offset").as("_o"));
    return laterCopies.union(alreadyWritten);
  }

  /**
   * A copy's Kafka coordinates as one ordered number, partition first: {@code partition << 48 |
   * offset} (offsets below 2^48, partitions below 2^15: {@link #requireOrderable} refuses others).
   * A fixed-width minimum, so Spark aggregates it by hash; the minimum of a struct is aggregated by
   * sorting every key's rows.
   */
  static Column coordinates() {
    return col("kafka_partition")
        .cast("long")
        .multiply(lit(MAX_END_OFFSET))
        .plus(col("kafka_offset"));
  }

  /**
   * Refuses, before anything is read, a partition that {@link #coordinates} cannot order: its
   * copies would be compared wrongly and the wrong copy kept or dropped.
   *
   * @param endOffset the partition's log-end offset (one past its last message)
   * @throws IllegalStateException naming the topic-partition and the limit
   */
  public static void requireOrderable(String topic, int partition, long endOffset) {
    if (partition < 0 || partition > MAX_PARTITION || endOffset > MAX_END_OFFSET) {
      throw new IllegalStateException(
          topic
              + "/"
              + partition
              + " (log end offset "
              + endOffset
              + ") is beyond what deduplication orders: partitions up to "
              + MAX_PARTITION
              + ", offsets below 2^"
              + OFFSET_BITS
              + ". Nothing was read; logwait needs a wider copy coordinate"
              + " for this topic (Dedup.coordinates).");
    }
  }

  /** {@code rows} without those whose key is in {@code existingKeys} (a one-column Dataset). */
  public static Dataset<Row> withoutKeys(Dataset<Row> rows, String key, Dataset<Row> existingKeys) {
    Dataset<Row> ids = rows.select(col(key), col("kafka_partition"), col("kafka_offset"));
    Dataset<Row> known = existingKeys.select(col(existingKeys.columns()[0]).as("_k"));
    Dataset<Row> drop =
        ids.join(known, ids.col(key).equalTo(known.col("_k")), "left_semi")
            .select(col("kafka_partition").as("_p"), col("kafka_offset").as("_o"));
    return without(rows, drop);
  }

  /**
   * {@code rows} without those at the Kafka coordinates of {@code drop} (columns {@code _p}
   * partition, {@code _o} offset).
   */
  public static Dataset<Row> withoutCoordinates(Dataset<Row> rows, Dataset<Row> drop) {
    return without(rows, drop);
  }

  /**
   * {@code rows} without those at {@code drop}'s coordinates, a set already collected ({@code _p},
   * {@code _o} at positions 0 and 1).
   */
  public static Dataset<Row> withoutCollected(Dataset<Row> rows, List<Row> drop) {
    if (drop.isEmpty()) {
      return rows;
    }
    Dataset<Row> d =
        broadcast(
            rows.sparkSession()
                .createDataFrame(
                    drop,
                    new org.apache.spark.sql.types.StructType()
                        .add("_p", org.apache.spark.sql.types.DataTypes.IntegerType)
                        .add("_o", org.apache.spark.sql.types.DataTypes.LongType)));
    return rows.join(
        d,
        rows.col("kafka_partition")
            .equalTo(d.col("_p"))
            .and(rows.col("kafka_offset").equalTo(d.col("_o"))),
        "left_anti");
  }

  private static Dataset<Row> without(Dataset<Row> rows, Dataset<Row> drop) {
    // Computed once and held apart from its inputs: the rows may be read again later in the run
    // (a join reads the batch it just ingested from memory). Small drop sets (the common case)
    // come to the driver; larger ones are cached, and recomputed from their inputs if lost.
    List<Row> few = drop.limit(LOCAL_MAX_ROWS + 1).collectAsList();
    if (few.isEmpty()) {
      return rows;
    }
    Dataset<Row> d;
    if (few.size() <= LOCAL_MAX_ROWS) {
      d = broadcast(rows.sparkSession().createDataFrame(few, drop.schema()));
    } else {
      drop = drop.persist(StorageLevel.MEMORY_AND_DISK());
      d = drop.count() <= BROADCAST_MAX_ROWS ? broadcast(drop) : drop;
    }
    return rows.join(
        d,
        rows.col("kafka_partition")
            .equalTo(d.col("_p"))
            .and(rows.col("kafka_offset").equalTo(d.col("_o"))),
        "left_anti");
  }
}
