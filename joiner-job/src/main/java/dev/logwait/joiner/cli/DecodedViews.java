package dev.logwait.joiner.cli;

import static org.apache.spark.sql.functions.col;

import dev.logwait.joiner.ingest.FeatureDecode;
import dev.logwait.joiner.table.Tables;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The views {@code query} offers over {@code raw_predictions}, which keeps each prediction as the
 * exact bytes of its Kafka message: {@code predictions_<set>} (every logged prediction of a feature
 * set, its features decoded into columns) and {@code pending_<set>} (those not yet in {@code
 * training_<set>}: still waiting for their label windows to close).
 */
final class DecodedViews {
  private DecodedViews() {}

  static void register(SparkSession spark, Tables tables) {
    if (!tables.exists(Tables.RAW_PREDICTIONS)) {
      return;
    }
    FeatureDecode features = FeatureDecode.of(tables);
    Dataset<Row> raw = spark.table(tables.name(Tables.RAW_PREDICTIONS));
    for (String set : features.featureSets()) {
      Dataset<Row> decoded = features.decoded(raw, set);
      decoded.createOrReplaceTempView("predictions_" + set);
      String training = Tables.TRAINING_PREFIX + set;
      Dataset<Row> pending = decoded;
      if (tables.exists(training)) {
        Dataset<Row> done =
            spark.table(tables.name(training)).select(col("prediction_id").as("_done_id"));
        pending =
            decoded.join(
                done, decoded.col("prediction_id").equalTo(done.col("_done_id")), "left_anti");
      }
      pending.createOrReplaceTempView("pending_" + set);
    }
  }
}
