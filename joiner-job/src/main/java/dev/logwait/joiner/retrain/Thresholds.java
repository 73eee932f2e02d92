package dev.logwait.joiner.retrain;

import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.Durations;
import dev.logwait.joiner.config.JoinerConfig;
import java.time.Duration;

/** The retraining conditions' thresholds, as the configuration sets them. */
public record Thresholds(
    double maxPsi,
    double moderatePsi,
    int moderateFeatures,
    double labelRateChange,
    long minNewRows,
    Duration currentWindow,
    Duration referenceWindow) {
  /** A label-rate change must also be this many standard errors wide (a three-sigma rule). */
  static final double Z = 3.0;

  public static Thresholds of(JoinerConfig c) {
    return new Thresholds(
        Double.parseDouble(c.get(ConfigKey.RETRAIN_MAX_PSI)),
        Double.parseDouble(c.get(ConfigKey.RETRAIN_MODERATE_PSI)),
        Integer.parseInt(c.get(ConfigKey.RETRAIN_MODERATE_FEATURES)),
        Double.parseDouble(c.get(ConfigKey.RETRAIN_LABEL_RATE_CHANGE)),
        Long.parseLong(c.get(ConfigKey.RETRAIN_MIN_NEW_ROWS)),
        Durations.parse(
            ConfigKey.RETRAIN_CURRENT_WINDOW.key, c.get(ConfigKey.RETRAIN_CURRENT_WINDOW)),
        Durations.parse(
            ConfigKey.RETRAIN_REFERENCE_WINDOW.key, c.get(ConfigKey.RETRAIN_REFERENCE_WINDOW)));
  }
}
