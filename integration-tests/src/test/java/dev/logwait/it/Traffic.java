package dev.logwait.it;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

/** Seeded predictions, clicks, purchases, duplicates and a few bad messages for a scenario. */
final class Traffic {
  static final FeatureSet FS =
      FeatureSet.builder("traffic", 1).addDoubles("x", 10).addString("country").build();
  static final long T0 = 1_780_000_000_000_000L;
  static final long SEC = 1_000_000L;
  static final String LABELS =
      "labels:\n"
          + "  - {name: click, window: 10m, aggregation: exists, default: 0}\n"
          + "  - {name: purchase, window: 1h, aggregation: sum, default: 0, join-keys: [user_id]}\n";

  private Traffic() {}

  /** Sends {@code n} predictions with labels, closing every window. */
  static void send(Scenario s, int n, long seed) {
    send(s, n, seed, T0);
  }

  /** As {@link #send(Scenario, int, long)}, served from {@code t0} on, a second apart. */
  static void send(Scenario s, int n, long seed, long t0) {
    Random rnd = new Random(seed);
    try (PredictionLogger logger = s.predictionLogger().build();
        LabelLogger labels = s.labelLogger()) {
      for (int i = 0; i < n; i++) {
        String id = "p" + seed + "-" + i;
        long served = t0 + i * SEC;
        String user = "u" + rnd.nextInt(100);
        for (int copy = 0; copy < (i % 50 == 0 ? 2 : 1); copy++) { // some duplicates
          var p =
              logger
                  .prediction(FS, i % 3 == 0 ? "a" : "b", "1")
                  .predictionId(id)
                  .servedAtMicros(served);
          for (int k = 0; k < 10; k++) {
            p.set(k, rnd.nextGaussian());
          }
          p.set("country", "c" + rnd.nextInt(5)).entity("user_id", user);
          logger.log(p, Duration.ofMinutes(1));
        }
        if (rnd.nextDouble() < 0.2) {
          labels.log(
              new Label("c" + id, "click", 1, served + rnd.nextInt(900) * SEC, id, Map.of()),
              Duration.ofMinutes(1));
        }
        if (rnd.nextDouble() < 0.02) {
          labels.log(
              Label.of(
                  "b" + id,
                  "purchase",
                  rnd.nextInt(100),
                  served + rnd.nextInt(3600) * SEC,
                  Map.of("user_id", user)),
              Duration.ofMinutes(1));
        }
      }
      for (int k = 0; k < 16; k++) {
        labels.log(
            Label.of(
                "hb" + seed + "-" + k, "heartbeat", 0, t0 + (n + 7200) * SEC, Map.of("hb", "" + k)),
            Duration.ofMinutes(1));
      }
      logger.flush(Duration.ofMinutes(2));
      labels.flush(Duration.ofMinutes(2));
    }
  }
}
