package dev.logwait.joiner.retrain;

import dev.logwait.joiner.table.Tables;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code triggers} table: one row per condition of every check, so that a team without a
 * scheduler can read when and why retraining was due ({@code retrain} is the check's decision, the
 * same on every row of a {@code check_id}).
 */
public final class TriggerLog {
  public static final String TABLE = "triggers";

  static final String COLUMNS =
      "check_id STRING, checked_at TIMESTAMP, source STRING, training_table STRING,"
          + " trainer STRING, condition STRING, holds BOOLEAN, value DOUBLE, threshold DOUBLE,"
          + " reason STRING, retrain BOOLEAN";

  private TriggerLog() {}

  /**
   * Appends a decision's rows.
   *
   * @param source {@code check} or {@code stream}
   */
  public static void record(SparkSession spark, Tables tables, Decision d, String source) {
    String table = tables.name(TABLE);
    spark.sql("CREATE TABLE IF NOT EXISTS " + table + " (" + COLUMNS + ") USING iceberg");
    List<Row> rows = new ArrayList<>();
    for (Condition c : d.conditions()) {
      rows.add(
          RowFactory.create(
              d.checkId(),
              Timestamp.from(d.checkedAt()),
              source,
              d.table(),
              c.trainer(),
              c.name(),
              c.holds(),
              Double.isFinite(c.value()) ? c.value() : null,
              c.threshold(),
              c.reason(),
              d.retrain()));
    }
    try {
      spark.createDataFrame(rows, StructType.fromDDL(COLUMNS)).writeTo(table).append();
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException(table + " vanished after it was created", e);
    }
  }
}
