package dev.logwait.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.LoggerStats;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import dev.logwait.testkit.KafkaBroker;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 31's first defect, as the service team met it: a logger with a spool whose Kafka is down
 * from the start. Its records are spooled at once, close() spools and returns, and every record is
 * delivered when a broker comes up on that address: by the same logger, and by a new one started on
 * the spool of a logger that closed while Kafka was down (a restart). Read back with {@link
 * TopicReader}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SpoolKafkaDownFromTheStartIT {
  static final FeatureSet FS = FeatureSet.builder("outage", 1).addDoubles("x", 4).build();

  @TempDir Path dir;

  @Test
  void everyRecordIsSpooledThenDeliveredWhenKafkaComesUpAndAfterARestart() throws Exception {
    int port = freePort();
    String servers = "127.0.0.1:" + port;

    // 1. A service that logs and stops while Kafka is down: close() spools and returns.
    Path closedSpool = dir.resolve("spool-closed");
    PredictionLogger first = logger(servers, "closed", closedSpool);
    Set<String> firstIds = log(first, 100, "closed-");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(first.stats().spooled()).isEqualTo(100));
    long t0 = System.nanoTime();
    first.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    LoggerStats closed = first.stats();
    assertThat(closed.failed()).as("failed by %s", closed.failedBy()).isZero();
    assertThat(closed.spoolRecords()).isEqualTo(100);

    // 2. A service still running when Kafka comes up on that address delivers what it spooled.
    PredictionLogger running = logger(servers, "running", dir.resolve("spool-running"));
    Set<String> runningIds = log(running, 100, "running-");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(running.stats().spooled()).isEqualTo(100));
    assertThat(running.stats().sent()).isZero();

    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), port)) {
      assertThat(broker.bootstrapServers()).isEqualTo(servers);
      await()
          .atMost(Duration.ofMinutes(2))
          .untilAsserted(() -> assertThat(running.stats().sent()).isEqualTo(100));
      running.close();
      LoggerStats s = running.stats();
      assertThat(s.failed()).as("failed by %s", s.failedBy()).isZero();
      assertThat(s.replayed()).isEqualTo(100);
      assertThat(s.spoolRecords()).isZero();
      assertThat(Set.copyOf(ids(broker, "running"))).isEqualTo(runningIds);

      // 3. The closed service restarted on its spool delivers what it left there.
      PredictionLogger restarted = logger(servers, "closed", closedSpool);
      assertThat(restarted.stats().recoveredFromSpool()).isEqualTo(100);
      assertThat(restarted.flush(Duration.ofMinutes(2))).as("the spool drained").isTrue();
      restarted.close();
      LoggerStats r = restarted.stats();
      assertThat(r.failed()).isZero();
      assertThat(r.replayed()).isEqualTo(100);
      assertThat(r.spoolRecords()).isZero();
      assertThat(Set.copyOf(ids(broker, "closed"))).isEqualTo(firstIds);
    }
  }

  @Test
  void closedWhileKafkaIsDownItSpoolsWhatKafkaDidNotTakeAndReturns() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka-b"))) {
      Path spool = dir.resolve("spool-outage");
      PredictionLogger logger = logger(broker.bootstrapServers(), "outage", spool);
      Set<String> before = log(logger, 100, "before-");
      assertThat(logger.flush(Duration.ofSeconds(60))).isTrue();
      broker.stop();
      Set<String> during = log(logger, 100, "during-");
      long t0 = System.nanoTime();
      logger.close(); // 30 s by default: it must not wait for a broker that is gone
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
      LoggerStats s = logger.stats();
      assertThat(s.failed()).as("failed by %s", s.failedBy()).isZero();
      assertThat(s.sent()).isEqualTo(100);
      assertThat(s.spoolRecords()).isEqualTo(100);
      assertThat(s.logged()).isEqualTo(s.sent() + s.spoolRecords());

      broker.start();
      PredictionLogger restarted = logger(broker.bootstrapServers(), "outage", spool);
      assertThat(restarted.flush(Duration.ofMinutes(2))).isTrue();
      restarted.close();
      assertThat(restarted.stats().replayed()).isEqualTo(100);
      Set<String> all = new java.util.TreeSet<>(before);
      all.addAll(during);
      assertThat(new java.util.TreeSet<>(ids(broker, "outage"))).isEqualTo(all);

      // A label logger with a spool asks the cluster for its id (it publishes no schema).
      try (LabelLogger labels =
          LabelLogger.builder()
              .bootstrapServers(broker.bootstrapServers())
              .topic("outage-labels")
              .spool(dir.resolve("spool-labels"), 1L << 20)
              .build()) {
        labels.log(Label.forPrediction("before-1", "click", 1.0, java.time.Instant.now()));
        assertThat(labels.flush(Duration.ofSeconds(60))).isTrue();
        assertThat(labels.stats().sent()).isEqualTo(1);
      }
      LogwaitAssertions.assertThatLabels(TopicReader.labels(broker.clientProps(), "outage-labels"))
          .loggedLabel()
          .forPrediction("before-1")
          .once();
    }
  }

  private static PredictionLogger logger(String servers, String name, Path spool) {
    return PredictionLogger.builder()
        .bootstrapServers(servers)
        .clientId(name)
        .topic(name + "-predictions")
        .schemasTopic(name + "-schemas")
        .spool(spool, 16L << 20)
        .build();
  }

  private static Set<String> log(PredictionLogger logger, int n, String prefix) {
    Set<String> ids = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      Prediction p = logger.prediction(FS, "m", "1").predictionId(prefix + i).score(i);
      for (int f = 0; f < 4; f++) {
        p.set(f, i + f);
      }
      assertThat(logger.log(p)).isTrue();
      ids.add(prefix + i);
    }
    return ids;
  }

  private static List<String> ids(KafkaBroker broker, String name) {
    return TopicReader.predictions(broker.clientProps(), name + "-predictions", name + "-schemas")
        .stream()
        .map(LoggedPrediction::predictionId)
        .toList();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
