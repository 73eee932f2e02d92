package dev.logwait.logger;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One label event (a click, a purchase, a delivery time), handed to {@link LabelLogger#log}. It
 * names its prediction by id, or carries entity keys that match the predictions' own.
 *
 * <pre>{@code
 * labels.log(Label.forPrediction(predictionId, "click", 1.0, Instant.now()));
 * labels.log(Label.builder("purchase").entity("user_id", user).value(12.5)
 *     .occurredAt(paidAt).eventId(orderId).build());
 * }</pre>
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
   * A label for one prediction, with a generated event id.
   *
   * @param predictionId the prediction it labels (what {@link Prediction#predictionId()} returned)
   * @param labelName the label spec's name, e.g. {@code click}
   * @param value the label's value (1 for an event that only happens)
   * @param occurredAt when it happened
   * @return the label
   */
  public static Label forPrediction(
      String predictionId, String labelName, double value, Instant occurredAt) {
    return forPrediction(predictionId, labelName, value, micros(occurredAt));
  }

  /**
   * Starts a label by name, its other parts named as they are set: clearer than the positional
   * factories when it joins on entity keys or carries its own event id.
   *
   * @param labelName the label spec's name, e.g. {@code purchase}
   * @return a builder; value 1.0 unless set, the event id generated unless set
   */
  public static Builder builder(String labelName) {
    return new Builder(Objects.requireNonNull(labelName, "label name"));
  }

  /**
   * Microseconds since the epoch, as the label event carries its time.
   *
   * @param instant a time
   * @return its microseconds since 1970-01-01T00:00:00Z (sub-microsecond digits dropped)
   */
  public static long micros(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
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

  /**
   * A label that joins on entity keys.
   *
   * @param eventId its deduplication key, or null for a generated one
   * @param labelName the label spec's name, e.g. {@code purchase}
   * @param value the label's value
   * @param occurredAt when it happened
   * @param entityKeys the keys it matches predictions by
   * @return the label
   */
  public static Label of(
      String eventId,
      String labelName,
      double value,
      Instant occurredAt,
      Map<String, String> entityKeys) {
    return of(eventId, labelName, value, micros(occurredAt), entityKeys);
  }

  /** Builds a {@link Label} part by named part. Not thread-safe. */
  public static final class Builder {
    private final String labelName;
    private String eventId;
    private String predictionId;
    private final Map<String, String> entityKeys = new HashMap<>();
    private double value = 1.0;
    private Long occurredAtMicros;

    private Builder(String labelName) {
      this.labelName = labelName;
    }

    /**
     * The event's deduplication key (e.g. an order id); generated when not set.
     *
     * @param id the key
     * @return this builder
     */
    public Builder eventId(String id) {
      this.eventId = Objects.requireNonNull(id, "event id");
      return this;
    }

    /**
     * The prediction it labels.
     *
     * @param id what {@link Prediction#predictionId()} returned
     * @return this builder
     */
    public Builder predictionId(String id) {
      this.predictionId = Objects.requireNonNull(id, "prediction id");
      return this;
    }

    /**
     * An entity key to join on, e.g. {@code user_id}.
     *
     * @param key the key's name, as the predictions log it
     * @param keyValue its value
     * @return this builder
     */
    public Builder entity(String key, String keyValue) {
      entityKeys.put(
          Objects.requireNonNull(key, "entity key"),
          Objects.requireNonNull(keyValue, "entity value"));
      return this;
    }

    /**
     * The label's value; 1.0 when not set (an event that only happens).
     *
     * @param labelValue the value
     * @return this builder
     */
    public Builder value(double labelValue) {
      this.value = labelValue;
      return this;
    }

    /**
     * When the event happened. Required.
     *
     * @param at the time
     * @return this builder
     */
    public Builder occurredAt(Instant at) {
      this.occurredAtMicros = micros(at);
      return this;
    }

    /**
     * When the event happened, in microseconds since the epoch (UTC).
     *
     * @param micros the time
     * @return this builder
     */
    public Builder occurredAtMicros(long micros) {
      this.occurredAtMicros = micros;
      return this;
    }

    /**
     * The label.
     *
     * @return the label
     * @throws IllegalStateException when no time was set
     * @throws IllegalArgumentException when it names neither a prediction nor entity keys
     */
    public Label build() {
      if (occurredAtMicros == null) {
        throw new IllegalStateException(
            "Label "
                + labelName
                + " has no time: set occurredAt(Instant) to when the event happened");
      }
      return new Label(
          eventId == null ? UUID.randomUUID().toString() : eventId,
          labelName,
          value,
          occurredAtMicros,
          predictionId,
          entityKeys);
    }
  }
}
