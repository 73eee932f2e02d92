package dev.logwait.bench;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * One night of the nightly benchmark: the predictions served on simulated day {@code night} (N of
 * them, 100 doubles) and the purchases that happened that day, which belong to the predictions of
 * that day and of the day before (a purchase comes within 24 h of its prediction, for 20% of
 * predictions), then a heartbeat per label partition at the day's end. Which prediction is bought
 * and when is a function of its index alone, so that night k sends exactly the purchases of day k.
 *
 * <p>{@code NightData <bootstrap> <prefix> <n> <night>}
 */
public final class NightData {
  /** {@code <prefix>-preds} (4 partitions) and {@code <prefix>-labels} (2), where missing. */
  static void createTopics(String bootstrap, String prefix) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(prefix + "-preds", 4, (short) 1),
                  new NewTopic(prefix + "-labels", 2, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String prefix = args[1];
    int n = Integer.parseInt(args[2]);
    int night = Integer.parseInt(args[3]);
    FeatureSet set = Features.set(100, false);
    createTopics(bootstrap, prefix);
    long dayStart = BenchData.T0 + night * BenchData.DAY;
    long t = System.nanoTime();
    Random features = new Random(night);
    long purchases = 0;
    try (PredictionLogger logger = BenchData.predictionLogger(bootstrap, prefix);
        LabelLogger labels = BenchData.labelLogger(bootstrap, prefix)) {
      for (int i = 0; i < n; i++) {
        Prediction p =
            logger
                .prediction(set, "bench-model", "1")
                .predictionId(id(prefix, night, i))
                .servedAtMicros(served(night, i, n));
        for (int k = 0; k < 100; k++) {
          p.set(k, features.nextGaussian());
        }
        logger.log(p.score(0.5), Duration.ofMinutes(1));
      }
      // the purchases of this day: of yesterday's predictions and of today's
      for (int day = night - 1; day <= night; day++) {
        for (int i = 0; day >= 1 && i < n; i++) {
          // SplittableRandom mixes its seed: java.util.Random's first draws of neighbouring
          // seeds are correlated, which bought whole runs of predictions or none
          SplittableRandom r = new SplittableRandom(31L * day * n + i);
          if (r.nextDouble() >= 0.2) {
            continue;
          }
          long at = served(day, i, n) + (long) (r.nextDouble() * BenchData.DAY);
          if (at >= dayStart && at < dayStart + BenchData.DAY) {
            labels.log(
                new Label(
                    "e-" + id(prefix, day, i), "purchase", 1, at, id(prefix, day, i), Map.of()),
                Duration.ofMinutes(1));
            purchases++;
          }
        }
      }
      for (int k = 0; k < 16; k++) {
        labels.log(
            Label.of(
                prefix + "-hb" + night + "-" + k,
                "heartbeat",
                0,
                dayStart + BenchData.DAY,
                Map.of("hb", "" + k)),
            Duration.ofMinutes(1));
      }
      logger.flush(Duration.ofMinutes(10));
      labels.flush(Duration.ofMinutes(10));
      System.out.printf(
          "night %d: %,d predictions and %,d purchases in %.1f s%n",
          night, logger.stats().sent(), purchases, (System.nanoTime() - t) / 1e9);
    }
  }

  private static String id(String prefix, int day, int i) {
    return String.format("%s-%d-%09d", prefix, day, i);
  }

  private static long served(int day, int i, int n) {
    return BenchData.T0 + day * BenchData.DAY + (long) ((double) i / n * BenchData.DAY);
  }
}
