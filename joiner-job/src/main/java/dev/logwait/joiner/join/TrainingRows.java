package dev.logwait.joiner.join;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;

import dev.logwait.joiner.config.LabelSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The join as a pure function of Datasets: predictions whose windows have closed, and label events,
 * in; one training row per prediction out, with one typed column per feature and, per label spec,
 * {@code label_<name>}, {@code label_<name>_at} and {@code label_<name>_count}.
 */
final class TrainingRows {
  private TrainingRows() {}

  /** Envelope columns carried into the training table, in order. */
  static final List<String> ENVELOPE = dev.logwait.joiner.ingest.FeatureDecode.ENVELOPE;

  /**
   * Columns of {@code raw_predictions} the join reads besides {@code features_<set>}: the envelope,
   * the feature set's version and the Kafka coordinates (which deduplicate without shuffling).
   */
  static final List<String> INPUT = input();

  private static List<String> input() {
    java.util.LinkedHashSet<String> c = new java.util.LinkedHashSet<>(ENVELOPE);
    c.addAll(List.of("feature_set_version", "kafka_partition", "kafka_offset"));
    return List.copyOf(c);
  }

  /** Up to this many label events, their per-prediction aggregates are broadcast. */
  static final long BROADCAST_MAX_LABELS = 5_000_000;

  /**
   * @param predictions rows of raw_predictions of one feature set (with {@code features_<set>})
   * @param labels rows of raw_labels
   */
  static Dataset<Row> build(
      Dataset<Row> predictions, Dataset<Row> labels, List<LabelSpec> specs, String featureSet) {
    return build(predictions, labels, specs, featureSet, false);
  }

  /**
   * @param broadcastLabels join the (small) label aggregates to the (wide) predictions by
   *     broadcast, so that the predictions are never shuffled
   */
  static Dataset<Row> build(
      Dataset<Row> predictions,
      Dataset<Row> labels,
      List<LabelSpec> specs,
      String featureSet,
      boolean broadcastLabels) {
    List<Column> cols = new ArrayList<>();
    ENVELOPE.forEach(c -> cols.add(col(c)));
    cols.add(lit(1.0).divide(col("sample_rate")).as("weight"));
    cols.add(col("feature_set_version"));
    cols.add(col("features_" + featureSet + ".*"));
    Dataset<Row> rows = predictions.select(cols.toArray(Column[]::new));
    if (specs.isEmpty()) {
      return rows;
    }
    Dataset<Row> all = aggregates(keys(rows), labels, specs);
    Dataset<Row> small = broadcastLabels ? org.apache.spark.sql.functions.broadcast(all) : all;
    Dataset<Row> joined =
        rows.join(small, rows.col("prediction_id").equalTo(small.col("_p_id")), "left");
    return labelColumns(joined, specs).drop("_p_id");
  }

  /** The narrow join keys of rows with the envelope: {@code _p_id, _p_at, _p_keys}. */
  static Dataset<Row> keys(Dataset<Row> rows) {
    return rows.select(
        col("prediction_id").as("_p_id"),
        unix_micros(col("served_at")).as("_p_at"),
        col("entity_keys").as("_p_keys"));
  }

  /**
   * Every spec's aggregate on the narrow keys, joined to one another by prediction id: {@code
   * _p_id} and, per spec {@code i}, {@code _v<i>, _at<i>, _n<i>}, for keys with at least one event.
   */
  static Dataset<Row> aggregates(Dataset<Row> keys, Dataset<Row> labels, List<LabelSpec> specs) {
    Dataset<Row> all = null;
    for (int i = 0; i < specs.size(); i++) {
      Dataset<Row> agg = aggregate(keys, labels, specs.get(i), i);
      all = all == null ? agg : all.join(agg, new String[] {"_p_id"}, "full_outer");
    }
    return all;
  }

  /**
   * Replaces the {@link #aggregates} columns of rows left-joined to them by each spec's columns:
   * value (the default where no event matched), first event time, count.
   */
  static Dataset<Row> labelColumns(Dataset<Row> joined, List<LabelSpec> specs) {
    List<String> temporary = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      LabelSpec spec = specs.get(i);
      String c = spec.column();
      Column def =
          spec.defaultValue() == null ? lit(null).cast("double") : lit(spec.defaultValue());
      joined =
          joined
              .withColumn(c, coalesce(col("_v" + i), def))
              .withColumn(
                  c + "_at", org.apache.spark.sql.functions.timestamp_micros(col("_at" + i)))
              .withColumn(c + "_count", coalesce(col("_n" + i), lit(0L)));
      temporary.addAll(List.of("_v" + i, "_at" + i, "_n" + i));
    }
    return joined.drop(temporary.toArray(String[]::new));
  }

  /**
   * Per prediction id with at least one event of {@code spec} in its window: the aggregated value
   * ({@code _v<i>}), the first event's time ({@code _at<i>}, micros) and the count ({@code _n<i>}).
   */
  private static Dataset<Row> aggregate(
      Dataset<Row> keys, Dataset<Row> labels, LabelSpec spec, int i) {
    Dataset<Row> events = LabelEvents.of(labels, spec);
    Column on =
        LabelEvents.match(keys.col("_p_id"), keys.col("_p_at"), keys.col("_p_keys"), events, spec);
    Dataset<Row> matched = keys.join(events, on, "inner");
    Column order = struct(col("_e_at"), col("_e_id"));
    Column value;
    switch (spec.aggregation()) {
      case EXISTS:
        value = max(lit(1.0));
        break;
      case COUNT:
        value = count(lit(1)).cast("double");
        break;
      case SUM:
        value = sum(col("_e_value"));
        break;
      case FIRST:
        value = min_by(col("_e_value"), order);
        break;
      case LAST:
        value = max_by(col("_e_value"), order);
        break;
      case MIN:
        value = min(col("_e_value"));
        break;
      default:
        value = max(col("_e_value"));
        break;
    }
    return matched
        .groupBy(col("_p_id"))
        .agg(value.as("_v" + i), min(col("_e_at")).as("_at" + i), count(lit(1)).as("_n" + i));
  }
}
