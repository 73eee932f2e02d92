package dev.logwait.logger.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jctools.queues.MpscArrayQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle worker parks twice as long each time, up to a second, instead of parking in 1 ms steps; a
 * caller wakes it only for a backlog, and flush, close and with a spool the producer's callbacks,
 * the cluster's answer and the end of a back-off wake it. Most engines here park an hour at a time,
 * so that a record that arrives proves the ring.
 */
class IdleWorkerTest {
  static final Duration NEVER = Duration.ofHours(1);

  /** Records are strings; no schema to publish. */
  static final RecordWriter<String> STRINGS =
      new RecordWriter<>() {
        @Override
        public Schema schema(String record) {
          return Schema.create(Schema.Type.STRING);
        }

        @Override
        public long fingerprint(String record) {
          return 1L;
        }

        @Override
        public boolean publishesSchema() {
          return false;
        }

        @Override
        public byte[] key(String record) {
          return record.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void writeBody(String record, Encoder out) throws IOException {
          out.writeString(record);
        }
      };

  @TempDir Path dir;

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

  private static LoggerSettings settings() {
    return new LoggerSettings(
        "records",
        "schemas",
        "idle-test",
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"),
        1024,
        Duration.ofSeconds(5),
        false,
        null,
        null,
        0,
        new Spool.Sync(1_000, Duration.ofSeconds(1)));
  }

  /** An engine whose worker parks an hour at a time: only the doorbell wakes it. */
  private LoggerEngine<String> ringOnly(MockProducer<byte[], byte[]> p, int wakeBacklog) {
    return new LoggerEngine<>(settings(), STRINGS, x -> p, NEVER, NEVER, wakeBacklog);
  }

  @Test
  void anIdleWorkerParksTwiceAsLongEachTimeAndARecordWaitsAtMostOnePark() {
    try (LoggerEngine<String> engine = new LoggerEngine<>(settings(), STRINGS, p -> producer)) {
      assertThat(engine.offer("a")).isTrue();
      assertThat(engine.flush(Duration.ofSeconds(5))).isTrue();
      long wakeups = engine.workerWakeups();
      // parks of 1 µs, 2 µs, ... 1 s: some 22 in the first two seconds (1 ms steps: 2,000)
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(3))
          .until(() -> engine.workerWakeups() - wakeups <= 30);

      long rings = engine.doorbellRings();
      assertThat(engine.offer("b")).isTrue();
      await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 2);
      assertThat(engine.doorbellRings()).as("the caller did not wake it").isEqualTo(rings);
    }
  }

  @Test
  void aCallerWakesAParkedWorkerOnlyForABacklog() {
    try (LoggerEngine<String> engine = ringOnly(producer, 4)) {
      await().atMost(Duration.ofSeconds(5)).until(engine::workerSleeps);
      for (int i = 0; i < 3; i++) {
        assertThat(engine.offer("r" + i)).isTrue();
      }
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(2))
          .until(() -> producer.history().isEmpty() && engine.workerSleeps());
      assertThat(engine.doorbellRings()).isZero();

      assertThat(engine.offer("r3")).isTrue(); // the backlog: the caller rings
      await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 4);
      assertThat(engine.doorbellRings()).isEqualTo(1);
    }
  }

  @Test
  void noRecordIsLeftWhenItsRingComesJustAsTheWorkerParks() {
    try (LoggerEngine<String> engine = ringOnly(producer, 1)) {
      for (int i = 0; i < 300; i++) {
        // a few microseconds after the last send: about when the worker goes to park
        long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(20_000);
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        assertThat(engine.offer("r" + i)).isTrue();
        int sent = i + 1;
        await()
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(1))
            .atMost(Duration.ofSeconds(5))
            .alias("record " + i + " sent")
            .until(() -> producer.history().size() == sent);
      }
    }
  }

  @Test
  void flushAndCloseWakeAParkedWorkerAtOnce() {
    MockProducer<byte[], byte[]> manual =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    LoggerEngine<String> engine = ringOnly(manual, 1);
    engine.offer("a");
    await().atMost(Duration.ofSeconds(5)).until(() -> manual.history().size() == 1);
    await().atMost(Duration.ofSeconds(5)).until(engine::workerSleeps);
    // only the worker's producer.flush() acknowledges "a" (MockProducer completes on flush)
    assertThat(engine.flush(Duration.ofSeconds(5))).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(engine::workerSleeps);

    long t0 = System.nanoTime();
    engine.close();
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    assertThat(engine.counts().sent()).isEqualTo(1);
  }

  @Test
  void withASpoolTheClusterAnswerCallbacksAndTheEndOfABackOffWakeTheWorker() throws Exception {
    MockProducer<byte[], byte[]> manual =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    KafkaFutureImpl<Void> answer = new KafkaFutureImpl<>();
    Doorbell doorbell = new Doorbell();
    Counters counters = new Counters("idle-test", 0, System::nanoTime);
    Spool spool = new Spool(dir, 1 << 20, new Spool.Sync(1_000, Duration.ofSeconds(1)));
    ClusterProbe probe =
        new ClusterProbe(
            new ClusterProbe.Question() {
              @Override
              public KafkaFuture<?> ask() {
                return answer;
              }

              @Override
              public void close() {}
            },
            "schemas",
            "idle-test",
            System::nanoTime,
            doorbell::ring);
    SchemaPublisher schemas =
        new SchemaPublisher(manual, "schemas", Duration.ofSeconds(1), counters, null);
    SpoolingSender spooling =
        new SpoolingSender(
            spool,
            manual,
            "records",
            "idle-test",
            counters,
            schemas,
            probe,
            doorbell,
            System::nanoTime);
    MpscArrayQueue<String> queue = new MpscArrayQueue<>(64);
    Worker<String> worker =
        new Worker<>(
            settings(),
            queue,
            STRINGS,
            manual,
            schemas,
            counters,
            spooling,
            doorbell,
            NEVER,
            NEVER);
    Thread thread = new Thread(worker, "idle-test-worker");
    doorbell.attach(thread);
    thread.start();
    try {
      queue.offer("r1"); // as the engine offers
      doorbell.ring();
      await().atMost(Duration.ofSeconds(5)).until(() -> counters.snapshot().spooled() == 1);
      await().atMost(Duration.ofSeconds(5)).until(doorbell::isSleeping);

      answer.complete(null); // the cluster answers: the probe rings, the worker replays r1
      await().atMost(Duration.ofSeconds(5)).until(() -> manual.history().size() == 1);
      await().atMost(Duration.ofSeconds(5)).until(doorbell::isSleeping);
      manual.completeNext(); // the replay's last acknowledgement rings: the segment goes
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> counters.snapshot().replayed() == 1 && counters.snapshot().spoolRecords() == 0);

      queue.offer("r2");
      doorbell.ring();
      await().atMost(Duration.ofSeconds(5)).until(() -> manual.history().size() == 2);
      await().atMost(Duration.ofSeconds(5)).until(doorbell::isSleeping);
      manual.errorNext(new NetworkException("lost (test)")); // rings: r2 back to the spool
      await().atMost(Duration.ofSeconds(5)).until(() -> counters.snapshot().spooled() == 2);
      // asleep until the 1 s back-off ends, then r2 goes out again
      await()
          .atLeast(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(5))
          .until(() -> manual.history().size() == 3);
      manual.completeNext();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> counters.snapshot().sent() == 2 && counters.snapshot().spoolRecords() == 0);
    } finally {
      worker.stop();
      thread.join(5_000);
    }
    assertThat(thread.isAlive()).isFalse();
  }
}
