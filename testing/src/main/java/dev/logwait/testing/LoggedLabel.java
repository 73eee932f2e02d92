package dev.logwait.testing;

import java.util.Map;

/**
 * A label event as it was logged, decoded from the bytes the label logger sent.
 *
 * @param eventId the event's id
 * @param labelName the label (click, purchase, …)
 * @param value its value
 * @param occurredAtMicros when it happened, microseconds since the epoch
 * @param predictionId the prediction it names, or null (entity-key labels)
 * @param entityKeys entity keys
 */
public record LoggedLabel(
    String eventId,
    String labelName,
    double value,
    long occurredAtMicros,
    String predictionId,
    Map<String, String> entityKeys) {}
