package dev.logwait.joiner.eval;

import dev.logwait.joiner.eval.figures.DriftFigures;
import dev.logwait.joiner.eval.figures.Report;
import dev.logwait.joiner.table.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code drift} table: one row per report, model and feature, so that a retraining scheduler
 * can read the latest report's rows and decide (e.g. {@code max(psi) > 0.25}).
 */
final class DriftTable {
  static final String NAME = "drift";

  static final String COLUMNS =
      "report_id STRING, computed_at TIMESTAMP, training_table STRING, model_name STRING,"
          + " feature STRING, kind STRING, psi DOUBLE, reference_from TIMESTAMP,"
          + " reference_to TIMESTAMP, current_from TIMESTAMP, current_to TIMESTAMP,"
          + " reference_weight DOUBLE, current_weight DOUBLE";

  private DriftTable() {}

  static void append(SparkSession spark, Tables tables, Report report) {
    DriftFigures d = report.drift();
    if (d.features().isEmpty()) {
      return;
    }
    String table = tables.name(NAME);
    spark.sql("CREATE TABLE IF NOT EXISTS " + table + " (" + COLUMNS + ") USING iceberg");
    Timestamp at = Timestamp.from(Instant.parse(report.generatedAt()));
    List<Row> rows = new ArrayList<>();
    for (DriftFigures.FeatureDrift f : d.features()) {
      rows.add(
          RowFactory.create(
              report.reportId(),
              at,
              report.table(),
              f.model(),
              f.feature(),
              f.kind(),
              Double.isNaN(f.psi()) ? null : f.psi(),
              ts(d.referenceFrom()),
              ts(d.referenceTo()),
              ts(d.currentFrom()),
              ts(d.currentTo()),
              f.referenceWeight(),
              f.currentWeight()));
    }
    try {
      spark.createDataFrame(rows, StructType.fromDDL(COLUMNS)).writeTo(table).append();
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException(table + " vanished after it was created", e);
    }
  }

  private static Timestamp ts(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }
}
