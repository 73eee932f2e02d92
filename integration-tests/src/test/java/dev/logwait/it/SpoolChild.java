package dev.logwait.it;

import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A service in a child JVM for {@code SpoolIT}: logs {@code n} predictions with a spool while Kafka
 * is down, prints {@code SPOOLED <n>} once all of them are on disk, then waits to be killed.
 * Arguments: bootstrap servers, topic, schemas topic, spool directory, n.
 */
public final class SpoolChild {
  static final FeatureSet FS = FeatureSet.builder("spool", 1).addDoubles("x", 8).build();

  private SpoolChild() {}

  public static void main(String[] args) {
    int n = Integer.parseInt(args[4]);
    PredictionLogger logger =
        PredictionLogger.builder()
            .bootstrapServers(args[0])
            .topic(args[1])
            .schemasTopic(args[2])
            .spool(Path.of(args[3]), 1L << 30)
            .build();
    for (int i = 0; i < n; i++) {
      var p = logger.prediction(FS, "m", "1").predictionId("c-" + i);
      p.set(0, (double) i);
      logger.log(p, Duration.ofMinutes(1));
    }
    while (logger.stats().spooled() < n) {
      LockSupport.parkNanos(50_000_000L);
    }
    System.out.println("SPOOLED " + logger.stats().spooled());
    System.out.flush();
    while (true) { // until SIGKILL
      LockSupport.parkNanos(1_000_000_000L);
    }
  }
}
