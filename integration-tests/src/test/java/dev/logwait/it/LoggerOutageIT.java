package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logwait.logger.LoggerStats;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import dev.logwait.testing.LoggedPrediction;
import dev.logwait.testing.TopicReader;
import dev.logwait.testkit.KafkaBroker;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 9: the broker stopped for a while under steady logging and started again. The caller
 * never waits on Kafka, and after close every record is either in the topic or counted as failed or
 * dropped: the counts add up exactly.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LoggerOutageIT {
  static final FeatureSet FS = FeatureSet.builder("outage", 1).addDoubles("x", 20).build();

  @Test
  void theCountsAddUpAcrossAnOutage() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(Files.createTempDirectory("outage-kafka"))) {
      broker.createTopics(2, "outage");
      PredictionLogger logger =
          PredictionLogger.builder()
              .bootstrapServers(broker.bootstrapServers())
              .topic("outage")
              .schemasTopic("outage-schemas")
              .queueCapacity(8192)
              .producerProperty("delivery.timeout.ms", 20_000)
              .producerProperty("request.timeout.ms", 5_000)
              .build();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong attempts = new AtomicLong();
      AtomicLong slowestNanos = new AtomicLong();
      Set<String> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();
      Thread caller =
          new Thread(
              () -> {
                while (!stop.get()) {
                  long t = System.nanoTime();
                  Prediction p = logger.prediction(FS, "m", "1");
                  p.set(0, 1.0);
                  String id = p.predictionId();
                  boolean queued = logger.log(p);
                  slowestNanos.accumulateAndGet(System.nanoTime() - t, Math::max);
                  attempts.incrementAndGet();
                  if (queued) {
                    accepted.add(id);
                  }
                  LockSupport.parkNanos(200_000); // a few thousand requests a second
                }
              },
              "request-thread");
      caller.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> logger.stats().sent() > 3_000);
      broker.stop();
      long atStop = attempts.get();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> attempts.get() > atStop + 20_000); // ≈ 5-10 s down
      broker.start();
      long atRestart = logger.stats().sent();
      await().atMost(Duration.ofSeconds(90)).until(() -> logger.stats().sent() > atRestart + 3_000);
      stop.set(true);
      caller.join();
      logger.close(Duration.ofSeconds(60));

      LoggerStats s = logger.stats();
      assertThat(s.logged() + s.dropped()).as("every call counted").isEqualTo(attempts.get());
      assertThat(s.logged()).isEqualTo(s.sent() + s.failed());
      assertThat(s.inFlight()).isZero();
      assertThat(s.logged()).isEqualTo(accepted.size());
      // The request thread never waited on Kafka: not one call took anywhere near a timeout.
      assertThat(Duration.ofNanos(slowestNanos.get())).isLessThan(Duration.ofMillis(500));

      // read back and decoded as a service's own test would (logwait-testing's TopicReader)
      List<LoggedPrediction> records =
          TopicReader.predictions(broker.clientProps(), "outage", "outage-schemas");
      Set<String> inTopic = new HashSet<>();
      records.forEach(r -> inTopic.add(r.predictionId()));
      assertThat(records).as("no duplicates (idempotent producer)").hasSize(inTopic.size());
      assertThat(records).allSatisfy(r -> assertThat(r.features()).hasSize(20));
      assertThat(accepted).containsAll(inTopic);
      // Every acknowledged record is in the topic. A send that timed out on the client after the
      // broker had written it counts as failed although it landed (Kafka's ambiguous timeout; on a
      // loaded machine some batches of the outage's end do), so the topic holds between the sent
      // and the sent plus the failed; the joiner dedups, and a spool re-sends (SpoolIT).
      assertThat((long) inTopic.size())
          .as("in the topic: every sent record, and perhaps some counted as failed")
          .isBetween(s.sent(), s.sent() + s.failed());
    }
  }
}
