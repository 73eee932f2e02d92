package dev.logwait.joiner.join;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.LocalSparkTest;
import dev.logwait.joiner.config.Aggregation;
import dev.logwait.joiner.config.LabelSpec;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Windows and aggregations of the join, as a function of Datasets on a local[2] session. */
class TrainingRowsTest extends LocalSparkTest {
  static final long T = 1_767_225_600_000L; // 2026-01-01T00:00:00Z in millis

  static final StructType PREDICTIONS =
      new StructType()
          .add("prediction_id", DataTypes.StringType)
          .add("request_id", DataTypes.StringType)
          .add("served_at", DataTypes.TimestampType)
          .add("model_name", DataTypes.StringType)
          .add("model_version", DataTypes.StringType)
          .add("entity_keys", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
          .add("prediction", DataTypes.DoubleType)
          .add("propensity", DataTypes.DoubleType)
          .add("action", DataTypes.StringType)
          .add("sample_rate", DataTypes.DoubleType)
          .add("feature_set_version", DataTypes.IntegerType)
          .add("features_fs", new StructType().add("x", DataTypes.DoubleType));
  static final StructType LABELS =
      new StructType()
          .add("event_id", DataTypes.StringType)
          .add("label_name", DataTypes.StringType)
          .add("value", DataTypes.DoubleType)
          .add("occurred_at", DataTypes.TimestampType)
          .add("prediction_id", DataTypes.StringType)
          .add("entity_keys", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

  static Row prediction(String id, long servedMillis, String user, double sampleRate) {
    return RowFactory.create(
        id,
        null,
        new Timestamp(servedMillis),
        "m",
        "1",
        scala.jdk.javaapi.CollectionConverters.asScala(Map.of("user_id", user)),
        0.5,
        null,
        null,
        sampleRate,
        1,
        RowFactory.create(1.0));
  }

  static Row label(
      String eventId, String name, double value, long atMillis, String pid, String user) {
    return RowFactory.create(
        eventId,
        name,
        value,
        new Timestamp(atMillis),
        pid,
        scala.jdk.javaapi.CollectionConverters.asScala(
            user == null ? Map.<String, String>of() : Map.of("user_id", user)));
  }

  static LabelSpec spec(String name, Duration window, Aggregation agg, Double def, String... keys) {
    return new LabelSpec(
        name, window, agg, def, keys.length == 0 ? List.of("prediction_id") : List.of(keys));
  }

  private Map<String, Row> run(List<Row> preds, List<Row> labels, List<LabelSpec> specs) {
    Dataset<Row> p = spark.createDataFrame(preds, PREDICTIONS);
    Dataset<Row> l = spark.createDataFrame(labels, LABELS);
    Map<String, Row> out = new HashMap<>();
    for (Row r : TrainingRows.build(p, l, specs, "fs").collectAsList()) {
      out.put(r.getAs("prediction_id"), r);
    }
    return out;
  }

  @Test
  void windowEdgesDuplicatesAndDefaults() {
    long min = 60_000;
    List<Row> preds =
        List.of(
            prediction("at-start", T, "u1", 1.0),
            prediction("at-end", T, "u1", 1.0),
            prediction("before", T, "u1", 1.0),
            prediction("twice", T, "u1", 0.25),
            prediction("none", T, "u1", 1.0));
    List<Row> labels =
        List.of(
            label("e1", "click", 1, T, "at-start", null),
            label("e2", "click", 1, T + 30 * min, "at-end", null),
            label("e3", "click", 1, T - 1, "before", null),
            label("e4", "click", 1, T + min, "twice", null),
            label("e5", "click", 1, T + 2 * min, "twice", null),
            label("e6", "other", 1, T + min, "none", null));
    Map<String, Row> rows =
        run(preds, labels, List.of(spec("click", Duration.ofMinutes(30), Aggregation.EXISTS, 0.0)));
    assertThat(rows).hasSize(5);
    assertThat((double) rows.get("at-start").getAs("label_click")).isEqualTo(1.0);
    assertThat((double) rows.get("at-end").getAs("label_click")).isEqualTo(0.0);
    assertThat((double) rows.get("before").getAs("label_click")).isEqualTo(0.0);
    assertThat((double) rows.get("twice").getAs("label_click")).isEqualTo(1.0);
    assertThat((long) rows.get("twice").getAs("label_click_count")).isEqualTo(2L);
    assertThat(((Timestamp) rows.get("twice").getAs("label_click_at")).getTime())
        .isEqualTo(T + min);
    assertThat((double) rows.get("twice").getAs("weight")).isEqualTo(4.0);
    assertThat((double) rows.get("none").getAs("label_click")).isEqualTo(0.0);
    assertThat((long) rows.get("none").getAs("label_click_count")).isZero();
    assertThat(rows.get("none").<Object>getAs("label_click_at")).isNull();
    assertThat((double) rows.get("none").getAs("x")).isEqualTo(1.0);
  }

  @Test
  void everyAggregation() {
    long min = 60_000;
    List<Row> preds = List.of(prediction("p", T, "u1", 1.0), prediction("q", T, "u1", 1.0));
    List<Row> labels = new ArrayList<>();
    List<LabelSpec> specs = new ArrayList<>();
    for (Aggregation a : Aggregation.values()) {
      String name = "d_" + a.configName();
      specs.add(spec(name, Duration.ofHours(1), a, a == Aggregation.SUM ? null : -1.0));
      labels.add(label(name + "1", name, 5, T + min, "p", null));
      labels.add(label(name + "2", name, 3, T + 2 * min, "p", null));
      labels.add(label(name + "3", name, 7, T + 3 * min, "p", null));
    }
    Map<String, Row> rows = run(preds, labels, specs);
    Row p = rows.get("p");
    assertThat((double) p.getAs("label_d_exists")).isEqualTo(1.0);
    assertThat((double) p.getAs("label_d_count")).isEqualTo(3.0);
    assertThat((double) p.getAs("label_d_sum")).isEqualTo(15.0);
    assertThat((double) p.getAs("label_d_first")).isEqualTo(5.0);
    assertThat((double) p.getAs("label_d_last")).isEqualTo(7.0);
    assertThat((double) p.getAs("label_d_min")).isEqualTo(3.0);
    assertThat((double) p.getAs("label_d_max")).isEqualTo(7.0);
    Row q = rows.get("q");
    assertThat((double) q.getAs("label_d_max")).isEqualTo(-1.0);
    assertThat(q.<Object>getAs("label_d_sum")).as("default null").isNull();
  }

  @Test
  void anEntityKeyLabelFansOutToEveryMatchingPrediction() {
    long min = 60_000;
    List<Row> preds =
        List.of(
            prediction("u1-early", T, "u1", 1.0),
            prediction("u1-later", T + 10 * min, "u1", 1.0),
            prediction("u1-after", T + 20 * min, "u1", 1.0),
            prediction("u2", T, "u2", 1.0));
    List<Row> labels = List.of(label("buy", "purchase", 9.5, T + 15 * min, null, "u1"));
    Map<String, Row> rows =
        run(
            preds,
            labels,
            List.of(spec("purchase", Duration.ofHours(1), Aggregation.SUM, 0.0, "user_id")));
    assertThat((double) rows.get("u1-early").getAs("label_purchase")).isEqualTo(9.5);
    assertThat((double) rows.get("u1-later").getAs("label_purchase")).isEqualTo(9.5);
    assertThat((double) rows.get("u1-after").getAs("label_purchase"))
        .as("served after")
        .isEqualTo(0.0);
    assertThat((double) rows.get("u2").getAs("label_purchase")).isEqualTo(0.0);
  }
}
