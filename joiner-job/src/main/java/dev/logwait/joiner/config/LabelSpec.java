package dev.logwait.joiner.config;

import java.time.Duration;
import java.util.List;

/**
 * One label the training rows wait for.
 *
 * @param name the events' {@code label_name}; columns {@code label_<name>}, {@code _at}, {@code
 *     _count}
 * @param window an event counts when {@code served_at <= occurred_at < served_at + window} ({@link
 *     dev.logwait.joiner.semantics.LabelWindow})
 * @param aggregation how matching events become one value
 * @param defaultValue the value when no event matched ({@code null} writes null)
 * @param joinKeys {@code [prediction_id]} (default) or entity keys that must all match
 * @param restate late events of this label rewrite the training rows they touch (MERGE), instead of
 *     only being counted
 */
public record LabelSpec(
    String name,
    Duration window,
    Aggregation aggregation,
    Double defaultValue,
    List<String> joinKeys,
    boolean restate) {
  public static final String PREDICTION_ID = "prediction_id";

  public LabelSpec {
    joinKeys = List.copyOf(joinKeys);
  }

  /** A spec whose late events are only counted. */
  public LabelSpec(
      String name,
      Duration window,
      Aggregation aggregation,
      Double defaultValue,
      List<String> joinKeys) {
    this(name, window, aggregation, defaultValue, joinKeys, false);
  }

  /** True when events name their prediction; otherwise they join on entity keys. */
  public boolean joinsOnPredictionId() {
    return joinKeys.equals(List.of(PREDICTION_ID));
  }

  /** The window in microseconds; the rule itself is {@code semantics.LabelWindow}. */
  public long windowMicros() {
    return java.util.concurrent.TimeUnit.MICROSECONDS.convert(window);
  }

  public String column() {
    return "label_" + name;
  }

  /** Every column this spec adds to a training table: value, first event time, event count. */
  public List<String> columns() {
    return List.of(column(), column() + "_at", column() + "_count");
  }
}
