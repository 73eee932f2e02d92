package dev.logwait.joiner.config;

import java.util.List;
import java.util.Map;

/**
 * The values of the retraining trigger's thresholds and the lineage settings: they shape no table,
 * so they are checked here and left out of the configuration's hash.
 */
final class LoopChecks {
  /** Prefixes of keys that change what is reported about the tables, not the tables. */
  static final List<String> NOT_HASHED = List.of("retrain.", "lineage.");

  private LoopChecks() {}

  static void check(Map<String, String> values, List<String> errors) {
    for (ConfigKey k :
        List.of(
            ConfigKey.RETRAIN_MAX_PSI,
            ConfigKey.RETRAIN_MODERATE_PSI,
            ConfigKey.RETRAIN_LABEL_RATE_CHANGE)) {
      try {
        double v = Double.parseDouble(values.get(k.key));
        if (!(v > 0) || Double.isInfinite(v)) {
          errors.add(k.key + ": must be a number above 0, was " + values.get(k.key));
        }
      } catch (NumberFormatException e) {
        errors.add(k.key + ": '" + values.get(k.key) + "' is not a number; write e.g. 0.25");
      }
    }
    for (ConfigKey k :
        List.of(ConfigKey.RETRAIN_MODERATE_FEATURES, ConfigKey.RETRAIN_MIN_NEW_ROWS)) {
      try {
        if (Long.parseLong(values.get(k.key)) < 1) {
          errors.add(k.key + ": must be at least 1, was " + values.get(k.key));
        }
      } catch (NumberFormatException e) {
        errors.add(k.key + ": '" + values.get(k.key) + "' is not a whole number");
      }
    }
    for (ConfigKey k :
        List.of(ConfigKey.RETRAIN_CURRENT_WINDOW, ConfigKey.RETRAIN_REFERENCE_WINDOW)) {
      try {
        if (Durations.parse(k.key, values.get(k.key)).isZero()) {
          errors.add(k.key + ": must be longer than zero");
        }
      } catch (ConfigException e) {
        errors.add(e.getMessage());
      }
    }
    if (values.get(ConfigKey.RETRAIN_TRAINER.key).isBlank()) {
      errors.add(ConfigKey.RETRAIN_TRAINER.key + ": a trainer name, or all");
    }
    String url = values.get(ConfigKey.LINEAGE_URL.key);
    if (!url.equals("off")
        && !url.startsWith("file:")
        && !url.startsWith("http://")
        && !url.startsWith("https://")) {
      errors.add(
          ConfigKey.LINEAGE_URL.key
              + ": '"
              + url
              + "' is not off, a file:/path or an http(s):// endpoint");
    }
    if (values.get(ConfigKey.LINEAGE_NAMESPACE.key).isBlank()) {
      errors.add(ConfigKey.LINEAGE_NAMESPACE.key + ": must be set, e.g. logwait");
    }
  }
}
