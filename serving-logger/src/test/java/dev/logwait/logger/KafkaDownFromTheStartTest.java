package dev.logwait.logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logwait.schema.FeatureSet;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A logger with a spool whose Kafka never answered (a closed port, a real producer): its records go
 * to the spool at once, and close() spools and returns. Delivery once a broker comes up on that
 * port, and from the spool after a restart, is in logwait-testing's {@code
 * SpoolKafkaDownFromTheStartIT} (it needs a broker).
 */
class KafkaDownFromTheStartTest {
  static final FeatureSet FS = FeatureSet.builder("down", 1).addDoubles("x", 3).build();

  @TempDir Path dir;

  static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort(); // nothing listens there once it is closed
    }
  }

  @Test
  void everyRecordIsSpooledAtOnceAndCloseSpoolsAndReturns() throws Exception {
    Path spool = dir.resolve("spool");
    PredictionLogger logger =
        PredictionLogger.builder()
            .bootstrapServers("127.0.0.1:" + closedPort())
            .topic("down-preds")
            .schemasTopic("down-schemas")
            .spool(spool, 16L << 20)
            .build();
    for (int i = 0; i < 100; i++) {
      assertThat(
              logger.log(
                  logger.prediction(FS, "m", "1").set(0, i).set(1, 0.0).set(2, 0.0).score(i)))
          .isTrue();
    }
    // Not after the 10 s of a producer waiting for metadata, nor the 30 s of a topic creation.
    await()
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(() -> assertThat(logger.stats().spooled()).isEqualTo(100));
    assertThat(logger.stats().failed()).isZero();

    long t0 = System.nanoTime();
    logger.close(); // the default close timeout is 30 s
    Duration closing = Duration.ofNanos(System.nanoTime() - t0);

    LoggerStats s = logger.stats();
    assertThat(closing).as("close spools and returns").isLessThan(Duration.ofSeconds(5));
    assertThat(s.failed()).as("failed by %s", s.failedBy()).isZero();
    assertThat(s.spooled()).isEqualTo(100);
    assertThat(s.spoolRecords()).isEqualTo(100);
    assertThat(s.inFlight()).isZero();
    assertThat(s.logged()).isEqualTo(s.sent() + s.failed() + s.spoolDropped() + s.spoolRecords());
    List<Path> segments;
    try (Stream<Path> files = Files.list(spool)) {
      segments = files.filter(p -> p.toString().endsWith(".seg")).toList();
    }
    assertThat(segments).isNotEmpty();
    assertThat(segments.stream().mapToLong(p -> p.toFile().length()).sum()).isPositive();

    // A logger started on the same directory (a restart) finds them, while Kafka is still down.
    PredictionLogger again =
        PredictionLogger.builder()
            .bootstrapServers("127.0.0.1:" + closedPort())
            .topic("down-preds")
            .schemasTopic("down-schemas")
            .spool(spool, 16L << 20)
            .build();
    assertThat(again.stats().recoveredFromSpool()).isEqualTo(100);
    again.close(Duration.ofSeconds(1));
    assertThat(again.stats().failed()).isZero();
    assertThat(again.stats().spoolRecords()).isEqualTo(100);
  }
}
