package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.current_timestamp;

import dev.logwait.joiner.table.Tables;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What of a decoded batch a raw table keeps. */
final class RawColumns {
  /** Columns of a decoded batch that only the quarantine keeps. */
  private static final List<String> KAFKA_ONLY =
      List.of("raw_key", "raw_value", "topic", "kafka_timestamp", "reason", "detail");

  private RawColumns() {}

  /**
   * A decoded batch's columns as a raw table holds them, stamped: predictions with the message's
   * exact bytes and Kafka coordinates ({@code raw_predictions} is the lossless log), label events
   * without the Kafka-only columns.
   */
  static Column[] of(Dataset<Row> decoded, String table) {
    boolean predictions = table.equals(Tables.RAW_PREDICTIONS);
    List<Column> cols = new ArrayList<>();
    for (String c : decoded.columns()) {
      if (predictions) {
        switch (c) {
          case "topic" -> cols.add(col(c).as("kafka_topic"));
          case "raw_key" -> cols.add(col(c).as("kafka_key"));
          case "raw_value" -> cols.add(col(c).as("kafka_value"));
          case "kafka_timestamp" -> cols.add(col(c));
          default -> {
            if (!KAFKA_ONLY.contains(c)) {
              cols.add(col(c));
            }
          }
        }
      } else if (!KAFKA_ONLY.contains(c)) {
        cols.add(col(c));
      }
    }
    cols.add(current_timestamp().as("ingested_at"));
    return cols.toArray(Column[]::new);
  }
}
