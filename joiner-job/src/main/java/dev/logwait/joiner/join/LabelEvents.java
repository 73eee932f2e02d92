package dev.logwait.joiner.join;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.unix_micros;

import dev.logwait.joiner.config.LabelSpec;
import dev.logwait.joiner.semantics.LabelWindow;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A label spec's events in the narrow shape every join of predictions to labels uses ({@code _e_id,
 * _e_value, _e_at} in micros, {@code _e_pid, _e_keys}), and when an event counts for a prediction:
 * its key matches and its time is inside the prediction's window ({@link LabelWindow}). Used by the
 * training rows, the late-label count and the restatement alike.
 */
public final class LabelEvents {
  private LabelEvents() {}

  /** The events of {@code spec} among {@code labels} (rows of {@code raw_labels}). */
  public static Dataset<Row> of(Dataset<Row> labels, LabelSpec spec) {
    return labels
        .filter(col("label_name").equalTo(spec.name()))
        .select(
            col("event_id").as("_e_id"),
            col("value").as("_e_value"),
            unix_micros(col("occurred_at")).as("_e_at"),
            col("prediction_id").as("_e_pid"),
            col("entity_keys").as("_e_keys"));
  }

  /**
   * True where an event of {@code events} counts for the prediction with id {@code id}, serving
   * time {@code servedMicros} and entity keys {@code keys}.
   */
  public static Column match(
      Column id, Column servedMicros, Column keys, Dataset<Row> events, LabelSpec spec) {
    Column on = LabelWindow.contains(servedMicros, events.col("_e_at"), spec.windowMicros());
    if (spec.joinsOnPredictionId()) {
      return on.and(id.equalTo(events.col("_e_pid")));
    }
    for (String k : spec.joinKeys()) {
      on = on.and(keys.getItem(k).equalTo(events.col("_e_keys").getItem(k)));
    }
    return on;
  }
}
