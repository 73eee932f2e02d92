package dev.logwait.testing;

import java.util.Map;

/**
 * A prediction as it was logged, decoded from the bytes the logger sent (single-object Avro with
 * its published writer schema): what the joiner will read.
 *
 * @param predictionId the prediction's id
 * @param requestId the request's id, or null
 * @param servedAtMicros serving time, microseconds since the epoch
 * @param modelName the model
 * @param modelVersion the model's version
 * @param entityKeys entity keys (user, item, …)
 * @param prediction the score, or null when the service never set it
 * @param propensity the propensity, or null
 * @param action the action taken, or null
 * @param sampleRate the sampling rate the prediction was logged at
 * @param featureSet the feature set's name
 * @param featureSetVersion the feature set's version
 * @param features feature values by name, in the feature set's order (strings, numbers, lists,
 *     maps); null for a feature the service never set, as the joiner's tables show it
 */
public record LoggedPrediction(
    String predictionId,
    String requestId,
    long servedAtMicros,
    String modelName,
    String modelVersion,
    Map<String, String> entityKeys,
    Double prediction,
    Double propensity,
    String action,
    double sampleRate,
    String featureSet,
    int featureSetVersion,
    Map<String, Object> features) {}
