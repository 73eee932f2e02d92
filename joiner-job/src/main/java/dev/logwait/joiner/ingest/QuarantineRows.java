package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The {@code quarantine} table's rows: coordinates, the original bytes, reason and detail. */
final class QuarantineRows {
  private QuarantineRows() {}

  /** A decoded batch's rows that were not taken, past the quarantine's own position. */
  static Dataset<Row> of(Dataset<Row> decoded, Column notYetQuarantined, String runId) {
    return decoded
        .filter(col("reason").isNotNull())
        .filter(notYetQuarantined)
        .select(
            col("topic"),
            col("kafka_partition"),
            col("kafka_offset"),
            col("kafka_timestamp"),
            col("raw_key").as("key"),
            col("raw_value").as("value"),
            col("reason"),
            col("detail"),
            current_timestamp().as("ingested_at"),
            lit(runId).as("run_id"));
  }
}
