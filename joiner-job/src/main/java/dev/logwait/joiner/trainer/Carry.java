package dev.logwait.joiner.trainer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.logwait.joiner.table.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code cursor_carry} table: when an erasure had to move a trainer's cursor (the snapshots it
 * pointed into can no longer be kept), the rows the trainer had not read yet, by prediction id. The
 * trainer's next batch delivers exactly those rows (as the table holds them now, without the erased
 * ones) and what was appended after the move: nothing read twice, nothing skipped.
 */
final class Carry {
  static final String TABLE = "cursor_carry";

  private static final String COLUMNS =
      "trainer STRING NOT NULL, table_name STRING NOT NULL, snapshot_id BIGINT NOT NULL,"
          + " prediction_id STRING NOT NULL";

  private final SparkSession spark;
  private final Tables tables;

  Carry(SparkSession spark, Tables tables) {
    this.spark = spark;
    this.tables = tables;
  }

  /**
   * Records {@code ids} (column {@code prediction_id}) as carried by a move to {@code snapshot}.
   */
  void record(String trainer, String table, long snapshot, Dataset<Row> ids) {
    String name = tables.name(TABLE);
    spark.sql("CREATE TABLE IF NOT EXISTS " + name + " (" + COLUMNS + ") USING iceberg");
    try {
      ids.select(
              lit(trainer).as("trainer"),
              lit(table).as("table_name"),
              lit(snapshot).as("snapshot_id"),
              col("prediction_id"))
          .writeTo(name)
          .append();
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException(name + " vanished after it was created", e);
    }
  }

  /** The rows of {@code rows} (a training table) that the move {@code at} carried. */
  Dataset<Row> rows(Cursor at, Dataset<Row> rows) {
    Dataset<Row> ids =
        spark
            .table(tables.name(TABLE))
            .filter(col("trainer").equalTo(at.trainer()))
            .filter(col("table_name").equalTo(at.table()))
            .filter(col("snapshot_id").equalTo(at.snapshotId()))
            .select(col("prediction_id").as("_carried"));
    return rows.join(ids, rows.col("prediction_id").equalTo(ids.col("_carried")), "left_semi");
  }
}
