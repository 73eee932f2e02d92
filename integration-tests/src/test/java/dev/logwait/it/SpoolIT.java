package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logwait.logger.Label;
import dev.logwait.logger.LoggerStats;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.testing.LoggedPrediction;
import dev.logwait.testing.TopicReader;
import dev.logwait.testkit.KafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * "When Kafka is down": a logger with a disk spool loses nothing across a 60 s broker outage under
 * steady load (every accepted prediction reaches the topic and the joiner's training table, once);
 * a service killed with SIGKILL during an outage and restarted on the same spool delivers what it
 * had spooled; a corrupted segment delivers its good prefix and counts the rest.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class SpoolIT {
  static KafkaBroker broker;

  @BeforeAll
  static void startBroker() throws IOException {
    broker = KafkaBroker.start(Files.createTempDirectory("spool-kafka"));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @Test
  void aSixtySecondOutageUnderLoadLosesNothing() throws Exception {
    Scenario s =
        new Scenario(
            "spool",
            2,
            1,
            "labels:\n  - {name: click, window: 1s, aggregation: exists, default: 0}\n",
            "0s",
            broker);
    PredictionLogger logger =
        s.predictionLogger()
            .spool(s.dir.resolve("spool"), 1L << 30)
            .producerProperty("delivery.timeout.ms", 30_000)
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
                Prediction p = logger.prediction(SpoolChild.FS, "m", "1");
                p.set(0, 1.0);
                String id = p.predictionId();
                boolean queued = logger.log(p);
                slowestNanos.accumulateAndGet(System.nanoTime() - t, Math::max);
                attempts.incrementAndGet();
                if (queued) {
                  accepted.add(id);
                }
                LockSupport.parkNanos(150_000); // thousands of requests a second
              }
            },
            "request-thread");
    caller.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> logger.stats().sent() > 3_000);
    long started = System.nanoTime();
    broker.stop();
    await().atMost(Duration.ofSeconds(60)).until(() -> logger.stats().spooled() > 10_000);
    // the outage lasts 60 s: as long as a broker restart or a network partition may take
    await()
        .atMost(Duration.ofSeconds(70))
        .until(() -> System.nanoTime() - started >= TimeUnit.SECONDS.toNanos(60));
    long attemptsDuringOutage = attempts.get();
    LoggerStats down = logger.stats();
    broker.start();
    await()
        .atMost(Duration.ofMinutes(3))
        .until(() -> logger.stats().spoolRecords() == 0 && logger.stats().replayed() > 0);
    long atDrain = logger.stats().sent();
    await().atMost(Duration.ofSeconds(60)).until(() -> logger.stats().sent() > atDrain + 2_000);
    stop.set(true);
    caller.join();
    logger.close(Duration.ofSeconds(60));

    LoggerStats st = logger.stats();
    System.out.printf(
        "[spool-it] outage 60 s: %,d calls, %,d logged, %,d spooled (%,d by the end of the"
            + " outage, %,d bytes), %,d replayed, %,d sent, %,d failed, %,d dropped, %,d spool"
            + " dropped; slowest log() %d us%n",
        attempts.get(),
        st.logged(),
        st.spooled(),
        down.spooled(),
        down.spoolBytes(),
        st.replayed(),
        st.sent(),
        st.failed(),
        st.dropped(),
        st.spoolDropped(),
        slowestNanos.get() / 1000);
    assertThat(attemptsDuringOutage).isGreaterThan(100_000);
    assertThat(st.logged() + st.dropped()).isEqualTo(attempts.get());
    assertThat(st.dropped()).as("queue never full").isZero();
    assertThat(st.failed()).isZero();
    assertThat(st.spoolDropped()).isZero();
    assertThat(st.spoolRecords()).isZero();
    assertThat(st.logged()).isEqualTo(st.sent() + st.failed() + st.spoolDropped());
    assertThat(st.inFlight()).isZero();
    assertThat(Duration.ofNanos(slowestNanos.get())).isLessThan(Duration.ofMillis(500));

    List<String> keys = ids(s.predictions, s.schemas);
    assertThat(new TreeSet<>(keys))
        .as("every accepted prediction in the topic")
        .isEqualTo(new TreeSet<>(accepted));
    System.out.printf(
        "[spool-it] topic: %,d messages, %,d distinct (%,d duplicates from replays)%n",
        keys.size(), accepted.size(), keys.size() - accepted.size());

    // The joiner keeps each once: a heartbeat label now closes every (1 s) window. (The label
    // watermark never passes the labels' Kafka timestamps, so a label dated later would not help.)
    try (var labels = s.labelLogger()) {
      labels.log(
          Label.of(
              "hb",
              "heartbeat",
              0,
              TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis()),
              Map.of("hb", "1")));
      labels.flush(Duration.ofSeconds(60));
    }
    var run = s.run();
    assertThat(run.counts()).containsEntry("finalized", (long) accepted.size());
    assertThat(s.read("training_spool").count()).isEqualTo(accepted.size());
    assertThat(s.read("training_spool").select("prediction_id").distinct().count())
        .isEqualTo(accepted.size());
  }

  @Test
  void killedDuringAnOutageTheSpoolIsDeliveredAfterARestartAndACorruptSegmentItsGoodPrefix()
      throws Exception {
    int n = 20_000;
    String topic = "spool-kill";
    broker.createTopics(1, topic, topic + "-b");
    Path dir = Files.createTempDirectory("spool-kill");
    Path spool = dir.resolve("spool");
    broker.stop();
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                SpoolChild.class.getName(),
                broker.bootstrapServers(),
                topic,
                topic + "-schemas",
                spool.toString(),
                String.valueOf(n))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("child.log").toFile())
            .start();
    await()
        .atMost(Duration.ofMinutes(2))
        .until(
            () ->
                !child.isAlive()
                    || Files.readString(dir.resolve("child.log")).contains("SPOOLED " + n));
    assertThat(child.isAlive()).as(Files.readString(dir.resolve("child.log"))).isTrue();
    child.destroyForcibly(); // SIGKILL: no close, no flush
    child.waitFor();

    // A copy whose last segment is damaged in the middle, as by a torn write.
    Path damaged = dir.resolve("spool-damaged");
    Files.createDirectories(damaged);
    List<Path> segments;
    try (Stream<Path> files = Files.list(spool)) {
      segments = files.sorted().toList();
    }
    for (Path f : segments) {
      Files.copy(f, damaged.resolve(f.getFileName()));
    }
    Path last = damaged.resolve(segments.get(segments.size() - 1).getFileName());
    byte[] content = Files.readAllBytes(last);
    content[content.length / 2] ^= 0x5A;
    Files.write(last, content);

    broker.start();
    LoggerStats restarted = deliver(spool, topic);
    assertThat(restarted.recoveredFromSpool()).isEqualTo(n);
    assertThat(restarted.replayed()).isEqualTo(n);
    assertThat(restarted.spoolRecords()).isZero();
    List<String> delivered = ids(topic, topic + "-schemas");
    assertThat(new TreeSet<>(delivered)).hasSize(n).contains("c-0", "c-" + (n - 1));
    System.out.printf(
        "[spool-it] kill -9 during an outage: %,d logged, %,d spooled, %,d delivered after the"
            + " restart, %,d lost%n",
        n, n, new TreeSet<>(delivered).size(), n - new TreeSet<>(delivered).size());

    LoggerStats fromDamaged = deliver(damaged, topic + "-b");
    long good = fromDamaged.recoveredFromSpool();
    assertThat(good).isLessThan(n).isGreaterThan(0);
    assertThat(fromDamaged.replayed()).isEqualTo(good);
    assertThat(fromDamaged.spoolCorruptBytes()).isPositive();
    Set<String> expected = new TreeSet<>();
    for (int i = 0; i < good; i++) {
      expected.add("c-" + i);
    }
    assertThat(new TreeSet<>(ids(topic + "-b", topic + "-b-schemas")))
        .as("the good prefix")
        .isEqualTo(expected);
    System.out.printf(
        "[spool-it] damaged segment: %,d of %,d delivered, %,d corrupt bytes counted%n",
        good, n, fromDamaged.spoolCorruptBytes());
  }

  /** A restarted service: a logger on the spool, which re-sends what it holds. */
  private static LoggerStats deliver(Path spool, String topic) {
    PredictionLogger logger =
        PredictionLogger.builder()
            .bootstrapServers(broker.bootstrapServers())
            .topic(topic)
            .schemasTopic(topic + "-schemas")
            .spool(spool, 1L << 30)
            .build();
    assertThat(logger.flush(Duration.ofMinutes(2))).as("the spool drained").isTrue();
    logger.close();
    return logger.stats();
  }

  /** The prediction ids the broker holds, decoded as the joiner would (logwait-testing). */
  private static List<String> ids(String topic, String schemasTopic) {
    return TopicReader.predictions(broker.clientProps(), topic, schemasTopic).stream()
        .map(LoggedPrediction::predictionId)
        .toList();
  }
}
