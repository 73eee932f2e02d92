package dev.logwait.joiner.bandit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import dev.logwait.joiner.config.RouterSpec;
import dev.logwait.joiner.semantics.Watermark;
import dev.logwait.joiner.table.Tables;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A router's predictions that are logged but not finalized: in {@code raw_predictions}, not (yet)
 * in its training table. Only predictions served from the training snapshot's {@code
 * logwait.open-from} on can be open (every earlier one was finalized by the join that wrote that
 * snapshot), so only those days of both tables are read.
 */
public final class OpenPredictions {
  /**
   * Snapshot property of training tables: the earliest serving time still open (join.StillOpen).
   */
  static final String OPEN_FROM = "logwait.open-from";

  private OpenPredictions() {}

  /**
   * The router's open predictions: {@code prediction_id, served_at, arm, weight} (weight = 1 /
   * sample_rate), once per prediction.
   *
   * @param trainingSnapshot the training table's snapshot they are not in
   */
  public static Dataset<Row> of(Tables tables, RouterSpec r, long trainingSnapshot) {
    String openFrom = tables.summaryAt(r.table(), trainingSnapshot).get(OPEN_FROM);
    Dataset<Row> raw =
        tables
            .readAt(Tables.RAW_PREDICTIONS, tables.snapshotId(Tables.RAW_PREDICTIONS))
            .filter(col("feature_set").equalTo(r.featureSet()));
    Dataset<Row> training = tables.readAt(r.table(), trainingSnapshot);
    if (openFrom != null) {
      Column since = col("served_at").geq(Watermark.instant(Long.parseLong(openFrom)));
      raw = raw.filter(since);
      training = training.filter(since);
    }
    Dataset<Row> chosen =
        raw.filter(RouterRows.chosen(r))
            .select(
                col("prediction_id"),
                col("served_at"),
                RouterRows.arm(r).as("arm"),
                lit(1.0).divide(col("sample_rate")).as("weight"))
            .dropDuplicates("prediction_id");
    return chosen.join(
        training.select(col("prediction_id")),
        chosen.col("prediction_id").equalTo(training.col("prediction_id")),
        "left_anti");
  }

  /** How many open predictions each arm has (unweighted: predictions logged). */
  public static Map<String, Long> waiting(Dataset<Row> open) {
    Map<String, Long> out = new TreeMap<>();
    for (Row r : open.groupBy("arm").agg(count(lit(1))).collectAsList()) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }
}
