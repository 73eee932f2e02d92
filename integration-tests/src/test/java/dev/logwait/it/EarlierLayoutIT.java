package dev.logwait.it;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.ingest.FeatureDecode;
import dev.logwait.joiner.table.Tables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@code raw_predictions} table of the earlier layout (typed feature structs {@code
 * features_<set>}, no message bytes, no writer schemas in its properties) stays readable: new
 * predictions are appended in the current layout beside its rows, and the join finalizes both,
 * equal to a warehouse that used the current layout from the start.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class EarlierLayoutIT {
  @Test
  void aTableOfTheEarlierLayoutIsJoinedWithNewRowsAppended() throws Exception {
    Scenario s = new Scenario("earlier", 2, 2, Traffic.LABELS);
    Traffic.send(s, 300, 1);
    s.ingest();
    toEarlierLayout(s);
    assertThat(s.read("raw_predictions").columns())
        .contains("features_traffic")
        .doesNotContain("kafka_value");

    Traffic.send(s, 300, 2, Traffic.T0 + 10_000 * Traffic.SEC);
    assertThat(s.run().counts())
        .containsEntry("predictions_written", 300L)
        .containsEntry("finalized", 600L);
    assertThat(s.read("raw_predictions").where("kafka_value IS NULL").count()).isEqualTo(300);

    Scenario reference = new Scenario(s, "current");
    reference.run();
    assertThat(s.rows("training_traffic", "prediction_id"))
        .hasSize(600)
        .isEqualTo(reference.rows("training_traffic", "prediction_id"));
  }

  /**
   * Rewrites the scenario's {@code raw_predictions} as the earlier layout wrote it: the same rows
   * and snapshot properties (positions), features as a typed struct, no bytes, no schemas.
   */
  private static void toEarlierLayout(Scenario s) throws Exception {
    var spark = s.spark();
    Tables tables = new Tables(spark, s.config);
    Dataset<Row> decoded =
        FeatureDecode.of(tables).decoded(s.read("raw_predictions"), Traffic.FS.name());
    List<Column> features = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      features.add(col("x" + k));
    }
    features.add(col("country"));
    Dataset<Row> earlier =
        decoded
            .select(
                col("prediction_id"),
                col("request_id"),
                col("served_at"),
                col("model_name"),
                col("model_version"),
                col("entity_keys"),
                col("prediction"),
                col("propensity"),
                col("action"),
                col("sample_rate"),
                org.apache.spark.sql.functions.lit("traffic").as("feature_set"),
                col("feature_set_version"),
                col("kafka_partition"),
                col("kafka_offset"),
                col("ingested_at"),
                struct(features.toArray(Column[]::new)).as("features_traffic"))
            .localCheckpoint(true);
    Map<String, String> props = new LinkedHashMap<>();
    tables
        .iceberg(Tables.RAW_PREDICTIONS)
        .currentSnapshot()
        .summary()
        .forEach(
            (k, v) -> {
              if (k.startsWith("logwait.")) {
                props.put(k, v);
              }
            });
    String name = s.table("raw_predictions");
    spark.sql("DROP TABLE " + name + " PURGE");
    spark.sql(
        "CREATE TABLE "
            + name
            + " (prediction_id STRING NOT NULL, request_id STRING, served_at TIMESTAMP NOT NULL,"
            + " model_name STRING, model_version STRING, entity_keys MAP<STRING, STRING>,"
            + " prediction DOUBLE, propensity DOUBLE, action STRING, sample_rate DOUBLE,"
            + " feature_set STRING, feature_set_version INT, kafka_partition INT,"
            + " kafka_offset BIGINT, ingested_at TIMESTAMP) USING iceberg"
            + " PARTITIONED BY (days(served_at)) TBLPROPERTIES ('format-version'='2',"
            + " 'write.spark.accept-any-schema'='true')");
    CommitMetadata.withCommitProperties(
        props,
        () -> {
          earlier.writeTo(name).option("merge-schema", "true").append();
          return null;
        },
        Exception.class);
  }
}
