package dev.logwait.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model the example trainer ({@code trainers/python/finetune.py}) fine-tuned, read from the
 * weights it writes as JSON ({@code V.json}): a logistic regression over standardized features. The
 * demo's serving uses it to score, so the scores it logs come from the weights.
 */
final class TrainedModel {
  final String version;
  private final String[] features;
  private final double[] mean;
  private final double[] std;
  private final double[] weights;
  private final double bias;

  private TrainedModel(
      String version,
      String[] features,
      double[] mean,
      double[] std,
      double[] weights,
      double bias) {
    this.version = version;
    this.features = features;
    this.mean = mean;
    this.std = std;
    this.weights = weights;
    this.bias = bias;
  }

  static TrainedModel read(Path json) {
    try {
      JsonNode m = new ObjectMapper().readTree(json.toFile());
      int n = m.get("features").size();
      String[] features = new String[n];
      double[] mean = new double[n];
      double[] std = new double[n];
      double[] weights = new double[n];
      for (int i = 0; i < n; i++) {
        features[i] = m.get("features").get(i).asText();
        mean[i] = m.get("mean").get(i).asDouble();
        std[i] = m.get("std").get(i).asDouble();
        weights[i] = m.get("weights").get(i).asDouble();
      }
      return new TrainedModel(
          m.get("version").asText(), features, mean, std, weights, m.get("bias").asDouble());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model's weights " + json, e);
    }
  }

  /** The click probability for the features by name (a missing feature is 0, as in training). */
  double score(Map<String, Double> values) {
    double z = bias;
    for (int i = 0; i < features.length; i++) {
      double x = values.getOrDefault(features[i], 0.0);
      z += weights[i] * (x - mean[i]) / std[i];
    }
    return 1 / (1 + Math.exp(-z));
  }
}
