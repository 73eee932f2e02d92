package dev.logwait.logger;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One label event (a click, a purchase, a delivery time), handed to {@link LabelLogger#log}. It
 * names its prediction by id, or carries entity keys that match the predictions' own.
 *
 * @param eventId deduplication key; {@link #of} generates one when {@code null}
 * @param labelName the label spec's name, e.g. {@code click}
 * @param value the label's value (1 for an event that only happens)
 * @param occurredAtMicros when the event happened, microseconds since the epoch (UTC)
 * @param predictionId the prediction it labels, or {@code null} when it joins on entity keys
 * @param entityKeys keys to join on (may be empty, never {@code null})
 */
public record Label(
    String eventId,
    String labelName,
    double value,
    long occurredAtMicros,
    String predictionId,
    Map<String, String> entityKeys) {

  /**
   * Validates and copies.
   *
   * @param eventId deduplication key
   * @param labelName the label spec's name
   * @param value the label's value
   * @param occurredAtMicros when the event happened, microseconds since the epoch (UTC)
   * @param predictionId the prediction it labels, or {@code null}
   * @param entityKeys keys to join on, or {@code null} for none
   * @throws NullPointerException when the event id or label name is missing
   * @throws IllegalArgumentException when the label names neither a prediction id nor entity keys
   */
  public Label {
    Objects.requireNonNull(eventId, "event id");
    Objects.requireNonNull(labelName, "label name");
    entityKeys = entityKeys == null ? Map.of() : Map.copyOf(entityKeys);
    if (predictionId == null && entityKeys.isEmpty()) {
      throw new IllegalArgumentException(
          "Label "
              + labelName
              + " names neither a prediction id nor entity keys: it can join"
              + " nothing");
    }
  }

  /**
   * A label for one prediction, with a generated event id.
   *
   * @param predictionId the prediction it labels
   * @param labelName the label spec's name, e.g. {@code click}
   * @param value the label's value (1 for an event that only happens)
   * @param occurredAtMicros when it happened, microseconds since the epoch (UTC)
   * @return the label
   */
  public static Label forPrediction(
      String predictionId, String labelName, double value, long occurredAtMicros) {
    return new Label(
        UUID.randomUUID().toString(), labelName, value, occurredAtMicros, predictionId, Map.of());
  }

  /**
   * A label that joins on entity keys.
   *
   * @param eventId its deduplication key, or null for a generated one
   * @param labelName the label spec's name, e.g. {@code purchase}
   * @param value the label's value
   * @param occurredAtMicros when it happened, microseconds since the epoch (UTC)
   * @param entityKeys the keys it matches predictions by, e.g. {@code user_id}, {@code item_id}
   * @return the label
   */
  public static Label of(
      String eventId,
      String labelName,
      double value,
      long occurredAtMicros,
      Map<String, String> entityKeys) {
    return new Label(
        eventId == null ? UUID.randomUUID().toString() : eventId,
        labelName,
        value,
        occurredAtMicros,
        null,
        entityKeys);
  }
}
