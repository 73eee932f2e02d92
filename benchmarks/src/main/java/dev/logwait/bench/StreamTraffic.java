package dev.logwait.bench;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.time.Duration;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Steady real-time traffic for {@code scripts/bench-stream}, through the real loggers: {@code rate}
 * predictions a second (100 doubles) served now, a click for 10% of them after an exponential delay
 * (mean 1 minute) logged when it happens, and a heartbeat per second on every label partition so
 * that the watermark follows the clock; after {@code minutes} of traffic, heartbeats alone for
 * {@code tail} minutes so that every window closes.
 *
 * <p>{@code StreamTraffic <bootstrap> <prefix> <rate> <minutes> <tail minutes>}
 */
public final class StreamTraffic {
  record Due(long atMicros, String predictionId) {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String prefix = args[1];
    int rate = Integer.parseInt(args[2]);
    double minutes = Double.parseDouble(args[3]);
    double tail = Double.parseDouble(args[4]);
    NightData.createTopics(bootstrap, prefix);
    FeatureSet set = Features.set(100, false);
    SplittableRandom rnd = new SplittableRandom(7);
    PriorityQueue<Due> clicks = new PriorityQueue<>((a, b) -> Long.compare(a.atMicros, b.atMicros));
    long start = System.currentTimeMillis();
    long trafficEnd = start + (long) (minutes * 60_000);
    long end = trafficEnd + (long) (tail * 60_000);
    long logged = 0;
    long clicked = 0;
    try (PredictionLogger logger = BenchData.predictionLogger(bootstrap, prefix);
        LabelLogger labels = BenchData.labelLogger(bootstrap, prefix)) {
      logger.register(set);
      long tick = start;
      while (tick < end) {
        long nowMicros = tick * 1000;
        if (tick < trafficEnd) {
          for (int i = 0; i < rate; i++) {
            String id = "s" + logged++;
            Prediction p =
                logger
                    .prediction(set, i % 2 == 0 ? "a" : "b", "1")
                    .predictionId(id)
                    .servedAtMicros(nowMicros + i * (1_000_000L / rate));
            for (int k = 0; k < 100; k++) {
              p.set(k, rnd.nextDouble());
            }
            logger.log(p);
            if (rnd.nextDouble() < 0.1) {
              long delay = (long) (-Math.log(1 - rnd.nextDouble()) * 60_000_000L);
              clicks.add(new Due(nowMicros + delay, id));
            }
          }
        }
        while (!clicks.isEmpty() && clicks.peek().atMicros <= nowMicros + 1_000_000L) {
          Due d = clicks.poll();
          labels.log(Label.forPrediction(d.predictionId, "click", 1, d.atMicros));
          clicked++;
        }
        for (int k = 0; k < 8; k++) { // keys that cover both label partitions
          labels.log(
              Label.of(
                  "hb-" + tick + "-" + k,
                  "heartbeat",
                  0,
                  nowMicros + 999_999L,
                  Map.of("hb", "" + k)));
        }
        tick += 1000;
        long sleep = tick - System.currentTimeMillis();
        if (sleep > 0) {
          LockSupport.parkNanos(sleep * 1_000_000L);
        } else if (sleep < -5000) {
          System.err.printf("[traffic] %d ms behind the clock%n", -sleep);
        }
        if ((tick - start) % 60_000 == 0) {
          System.out.printf(
              "[traffic] %.0f min: %,d predictions, %,d clicks logged%n",
              (tick - start) / 60_000.0, logged, clicked);
        }
      }
      logger.flush(Duration.ofMinutes(1));
      labels.flush(Duration.ofMinutes(1));
      System.out.printf(
          "RESULT predictions=%d clicks=%d dropped=%d%n",
          logged, clicked, logger.stats().dropped());
    }
  }
}
