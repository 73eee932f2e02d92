package dev.logwait.joiner.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The tombstones that can match a batch ({@link Tombstones#forPredictions}, {@link
 * Tombstones#forLabels}): {@link #matches} finds the rows a tombstone matches, by their prediction
 * id or by any of their entity keys, so that ingest drops them.
 *
 * @param salt the table's salt
 * @param predictionDays the serving days whose predictions' tombstones are in {@code predictions}
 *     (null: not restricted by day)
 * @param predictions prediction tombstones ({@code key_hash}, {@code reason}), or null
 * @param entities entity tombstones ({@code kind}, {@code key_hash}, {@code reason}), or null
 */
public record TombstoneCheck(
    String salt, Set<Integer> predictionDays, Dataset<Row> predictions, Dataset<Row> entities) {

  /**
   * {@code _p}, {@code _o} (Kafka partition, offset) and {@code reason} of the rows a tombstone
   * matches, once per row (an erasure's reason over a discard's), from rows with {@code
   * prediction_id}, {@code entity_keys}, {@code kafka_partition}, {@code kafka_offset} (and {@code
   * served_at} when restricted by day).
   */
  public Dataset<Row> matches(Dataset<Row> rows) {
    Dataset<Row> found = null;
    if (predictions != null) {
      Dataset<Row> candidates = rows;
      if (predictionDays != null) {
        candidates = candidates.filter(epochDay(col("served_at")).isin(predictionDays.toArray()));
      }
      Dataset<Row> hashed =
          candidates
              .filter(col("prediction_id").isNotNull())
              .select(
                  Tombstones.hash(salt, Tombstones.PREDICTION_ID, col("prediction_id")).as("_h"),
                  col("kafka_partition").as("_p"),
                  col("kafka_offset").as("_o"));
      found =
          hashed
              .join(predictions, hashed.col("_h").equalTo(predictions.col("key_hash")))
              .select(col("_p"), col("_o"), col("reason"));
    }
    if (entities != null) {
      Dataset<Row> keys =
          rows.select(
                  col("kafka_partition").as("_p"),
                  col("kafka_offset").as("_o"),
                  explode(col("entity_keys")).as(new String[] {"_key", "_value"}))
              .select(
                  col("_p"),
                  col("_o"),
                  Tombstones.hash(salt, concat(lit(Tombstones.ENTITY), col("_key")), col("_value"))
                      .as("_h"));
      Dataset<Row> byEntity =
          keys.join(entities, keys.col("_h").equalTo(entities.col("key_hash")))
              .select(col("_p"), col("_o"), col("reason"));
      found = found == null ? byEntity : found.unionByName(byEntity);
    }
    // "erased" sorts after "discarded": an erasure's reason wins
    return found.groupBy("_p", "_o").agg(max("reason").as("reason"));
  }

  /** Days since the epoch of a timestamp column (the session's time zone is UTC). */
  private static Column epochDay(Column ts) {
    return org.apache.spark.sql.functions.datediff(
        org.apache.spark.sql.functions.to_date(ts),
        lit(java.sql.Date.valueOf(java.time.LocalDate.ofEpochDay(0))));
  }
}
