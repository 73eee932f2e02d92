package dev.logwait.bench;

import com.sun.management.ThreadMXBean;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Bytes the calling thread allocates in {@code log(...)} itself, apart from building the
 * prediction: JMH's {@code -prof gc} divides every thread's allocation (the worker's encoding
 * included) by the caller's operations, so it cannot tell the two apart. Here the caller thread's
 * own counter is read around 200,000 calls of each.
 */
public final class LogAllocation {
  public static void main(String[] args) throws Exception {
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    int calls = 200_000;
    for (int n : new int[] {20, 100, 500}) {
      FeatureSet set = Features.set(n, false);
      try (PredictionLogger logger =
          PredictionLogger.builder()
              .bootstrapServers("127.0.0.1:1") // nothing listens: the worker never drains
              .createSchemasTopic(false)
              .queueCapacity(1 << 22)
              .closeTimeout(Duration.ZERO)
              .build()) {
        for (int warm = 0; warm < 3; warm++) {
          Prediction[] built = new Prediction[calls];
          long a0 = mx.getThreadAllocatedBytes(self);
          for (int i = 0; i < calls; i++) {
            Prediction p = logger.prediction(set, "m", "1");
            for (int k = 0; k < n; k++) {
              p.set(k, k);
            }
            built[i] = p;
          }
          long a1 = mx.getThreadAllocatedBytes(self);
          for (int i = 0; i < calls; i++) {
            logger.log(built[i]);
          }
          long a2 = mx.getThreadAllocatedBytes(self);
          if (warm == 2) {
            System.out.printf(
                "%d doubles: build %.1f B/call, log %.2f B/call (caller thread only)%n",
                n,
                (a1 - a0) / (double) calls - 4.0 /* the array slot */,
                (a2 - a1) / (double) calls);
          }
        }
      }
    }
  }
}
