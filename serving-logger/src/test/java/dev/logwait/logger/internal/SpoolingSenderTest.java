package dev.logwait.logger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.schema.SchemaTopic;
import dev.logwait.schema.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spool's sending on Kafka's {@code MockProducer}, driven as the worker drives it, on a clock
 * the test moves: the cluster's first answer, errors a retry may cure and errors it cannot,
 * acknowledgements in any order, a schema that fails in the middle of a segment, and close.
 */
class SpoolingSenderTest {
  static final String TOPIC = "preds";
  static final long FP_A = 0xA;
  static final long FP_B = 0xB;
  static final String SCHEMA_A = "{\"type\":\"record\",\"name\":\"a\",\"fields\":[]}";
  static final String SCHEMA_B = "{\"type\":\"record\",\"name\":\"b\",\"fields\":[]}";

  @TempDir Path dir;

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Counters counters = new Counters("test", 0, now::get);

  /** The cluster's answer to the probe, completed by the test. */
  private final KafkaFutureImpl<Void> answer = new KafkaFutureImpl<>();

  /** Schemas go to a producer of their own that acknowledges at once, unless told to refuse. */
  private final RefusingProducer schemaProducer = new RefusingProducer();

  private Spool spool;

  /** Kafka's MockProducer, refusing the sends of the keys in {@link #refuse}. */
  static final class RefusingProducer extends MockProducer<byte[], byte[]> {
    final List<String> refuse = new ArrayList<>();

    RefusingProducer() {
      super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public synchronized Future<RecordMetadata> send(
        ProducerRecord<byte[], byte[]> record, Callback callback) {
      if (refuse.remove(new String(record.key(), StandardCharsets.UTF_8))) {
        throw new TimeoutException("no acknowledgement (test)");
      }
      return super.send(record, callback);
    }
  }

  /** Kafka's MockProducer, keeping the callbacks so that the test completes them in any order. */
  static final class AnyOrderProducer extends MockProducer<byte[], byte[]> {
    final List<Callback> callbacks = new ArrayList<>();

    AnyOrderProducer() {
      super(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public synchronized Future<RecordMetadata> send(
        ProducerRecord<byte[], byte[]> record, Callback callback) {
      callbacks.add(callback);
      return super.send(record, null);
    }

    void ack(int send) {
      callbacks
          .get(send)
          .onCompletion(new RecordMetadata(new TopicPartition(TOPIC, 0), send, 0, 0, 1, 1), null);
    }

    void refuse(int send, Exception e) {
      callbacks.get(send).onCompletion(null, e);
    }
  }

  private SpoolingSender sender(MockProducer<byte[], byte[]> producer) {
    spool = new Spool(dir, 1 << 20, new Spool.Sync(1_000, Duration.ofSeconds(1)), now::get);
    SchemaPublisher schemas =
        new SchemaPublisher(schemaProducer, "schemas", Duration.ofSeconds(5), counters, null);
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
            "test",
            now::get,
            () -> {});
    return new SpoolingSender(
        spool, producer, TOPIC, "test", counters, schemas, probe, new Doorbell(), now::get);
  }

  private static MockProducer<byte[], byte[]> manualProducer() {
    return new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * A new record, as the worker takes it: the sender's duties first, then the record to the spool
   * or to the producer.
   */
  private void log(SpoolingSender sender, long fp, String id) {
    sender.work(true);
    counters.logged();
    byte[] key = id.getBytes(StandardCharsets.UTF_8);
    Supplier<String> schema = () -> fp == FP_A ? SCHEMA_A : SCHEMA_B;
    if (sender.mustSpool()) {
      sender.spool(fp, schema, key, key);
    } else {
      sender.send(fp, schema, key, key);
    }
  }

  private static List<String> keysSent(MockProducer<byte[], byte[]> producer) {
    return producer.history().stream()
        .map(r -> new String(r.key(), StandardCharsets.UTF_8))
        .toList();
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  /** Every record logged is sent, failed, dropped by the spool or held in it. */
  private void assertAccountedFor() {
    Counts c = counters.snapshot();
    assertThat(c.inFlight()).as("in flight in %s", c).isZero();
    assertThat(c.logged() + c.recoveredFromSpool())
        .isEqualTo(c.sent() + c.failed() + c.spoolDropped() + c.spoolRecords());
  }

  @Test
  void recordsWaitInTheSpoolUntilTheClusterAnswersThenGoOutOldestFirstAheadOfNewOnes() {
    MockProducer<byte[], byte[]> producer = manualProducer();
    SpoolingSender sender = sender(producer);
    log(sender, FP_A, "a1");
    log(sender, FP_A, "a2");
    sender.work(true);
    assertThat(producer.history()).as("nothing handed over before the cluster answers").isEmpty();
    assertThat(counters.snapshot().spooled()).isEqualTo(2);

    answer.complete(null);
    sender.work(true);
    assertThat(keysSent(producer)).containsExactly("a1", "a2");
    assertThat(keysSent(schemaProducer)).as("the segment's schema first").hasSize(1);
    log(sender, FP_A, "a3"); // the last segment is handed over: straight to the producer
    assertThat(keysSent(producer)).containsExactly("a1", "a2", "a3");

    producer.completeNext();
    producer.completeNext();
    sender.work(true);
    assertThat(counters.snapshot().spoolRecords()).as("a2 acknowledged: segment gone").isZero();
    producer.completeNext();
    Counts c = counters.snapshot();
    assertThat(c.sent()).isEqualTo(3);
    assertThat(c.replayed()).isEqualTo(2);
    assertThat(c.schemasPublished()).isEqualTo(1);
    assertAccountedFor();
  }

  @Test
  void anErrorARetryMayCureSendsTheRecordBackToTheSpoolAndBacksOffForASecond() {
    MockProducer<byte[], byte[]> producer = manualProducer();
    SpoolingSender sender = sender(producer);
    answer.complete(null);
    log(sender, FP_A, "a1");
    log(sender, FP_A, "a2");
    assertThat(keysSent(producer)).containsExactly("a1", "a2");

    producer.errorNext(new NetworkException("connection lost (test)"));
    producer.completeNext();
    assertThat(sender.mustSpool()).as("backing off").isTrue();
    log(sender, FP_A, "a3"); // spooled, behind a1
    sender.work(true);
    assertThat(counters.snapshot().spoolRecords()).isEqualTo(2);
    assertThat(keysSent(producer)).as("no replay while backing off").hasSize(2);

    advance(Duration.ofMillis(999));
    sender.work(true);
    assertThat(keysSent(producer)).hasSize(2);
    advance(Duration.ofMillis(2));
    sender.work(true);
    assertThat(keysSent(producer)).containsExactly("a1", "a2", "a1", "a3");
    producer.completeNext();
    producer.completeNext();
    sender.work(true);

    Counts c = counters.snapshot();
    assertThat(c.sent()).isEqualTo(3);
    assertThat(c.replayed()).isEqualTo(2);
    assertThat(c.failed()).isZero();
    assertThat(c.spoolRecords()).isZero();
    assertAccountedFor();
  }

  @Test
  void anErrorNoRetryCuresFailsTheRecordCountedByItsClass() {
    MockProducer<byte[], byte[]> producer = manualProducer();
    SpoolingSender sender = sender(producer);
    answer.complete(null);
    log(sender, FP_A, "a1");
    producer.errorNext(new RecordTooLargeException("too large (test)"));
    sender.work(true);

    Counts c = counters.snapshot();
    assertThat(c.failed()).isEqualTo(1);
    assertThat(c.failedBy()).containsEntry("RecordTooLargeException", 1L);
    assertThat(c.spooled()).isZero();
    assertThat(sender.mustSpool()).as("no back-off for the record's own error").isFalse();
    assertAccountedFor();
  }

  @Test
  void aReplayedSegmentIsRemovedWhenItsLastAcknowledgementComesWhateverTheOrder() {
    AnyOrderProducer producer = new AnyOrderProducer();
    SpoolingSender sender = sender(producer);
    log(sender, FP_A, "s1");
    log(sender, FP_A, "s2");
    log(sender, FP_A, "s3");
    answer.complete(null);
    sender.work(true);
    log(sender, FP_A, "n1");
    assertThat(keysSent(producer)).containsExactly("s1", "s2", "s3", "n1");

    producer.ack(3); // n1 first: another partition's batch
    producer.ack(2);
    producer.ack(0);
    sender.work(true);
    assertThat(counters.snapshot().spoolRecords()).as("s2 not yet acknowledged").isEqualTo(3);
    assertThat(counters.snapshot().sent()).isEqualTo(1);
    producer.ack(1);
    sender.work(true);

    Counts c = counters.snapshot();
    assertThat(c.spoolRecords()).isZero();
    assertThat(c.sent()).isEqualTo(4);
    assertThat(c.replayed()).isEqualTo(3);
    assertAccountedFor();
  }

  @Test
  void aSegmentWithOneRefusedRecordStaysWholeAndIsReplayedAgainAfterTheBackOff() {
    AnyOrderProducer producer = new AnyOrderProducer();
    SpoolingSender sender = sender(producer);
    log(sender, FP_A, "s1");
    log(sender, FP_A, "s2");
    log(sender, FP_A, "s3");
    answer.complete(null);
    sender.work(true);
    producer.ack(2);
    producer.refuse(1, new NetworkException("lost (test)"));
    producer.ack(0);
    sender.work(true);
    assertThat(counters.snapshot().spoolRecords()).isEqualTo(3);
    assertThat(counters.snapshot().sent()).as("a segment counts when whole").isZero();
    assertThat(sender.mustSpool()).as("backing off").isTrue();

    advance(Duration.ofSeconds(2));
    sender.work(true);
    // at least once: the records of a segment that failed go out again, acknowledged or not
    assertThat(keysSent(producer)).containsExactly("s1", "s2", "s3", "s1", "s2", "s3");
    producer.ack(5);
    producer.ack(3);
    producer.ack(4);
    sender.work(true);
    Counts c = counters.snapshot();
    assertThat(c.sent()).isEqualTo(3);
    assertThat(c.replayed()).isEqualTo(3);
    assertThat(c.spoolRecords()).isZero();
    assertAccountedFor();
  }

  @Test
  void aSchemaRefusedInTheMiddleOfASegmentSendsNoneOfItsRecordsTwice() {
    MockProducer<byte[], byte[]> producer = manualProducer();
    SpoolingSender sender = sender(producer);
    log(sender, FP_A, "a1"); // one segment: schema A, a1, a2, schema B, b1
    log(sender, FP_A, "a2");
    log(sender, FP_B, "b1");
    schemaProducer.refuse.add(SchemaTopic.key(fingerprint(SCHEMA_B)));
    answer.complete(null);
    sender.work(true); // B is refused: the segment stays
    assertThat(sender.mustSpool()).as("backing off").isTrue();

    advance(Duration.ofSeconds(2));
    sender.work(true);
    while (producer.completeNext()) {
      // acknowledges everything sent
    }
    sender.work(true);
    assertThat(keysSent(producer)).containsExactly("a1", "a2", "b1");
    Counts c = counters.snapshot();
    assertThat(c.sent()).isEqualTo(3);
    assertThat(c.replayed()).isEqualTo(3);
    assertThat(c.spoolRecords()).isZero();
    assertAccountedFor();
  }

  @Test
  void theWorkerMaySleepUntilTheNextFsyncOrTheProbesNextQuestion() {
    MockProducer<byte[], byte[]> producer = manualProducer();
    SpoolingSender sender = sender(producer); // fsync every second
    assertThat(sender.nextDutyInNanos()).as("nothing to do").isEqualTo(Long.MAX_VALUE);
    log(sender, FP_A, "a1"); // spooled: the probe's question is out, its answer will ring
    assertThat(sender.nextDutyInNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());

    advance(Duration.ofMillis(400));
    answer.completeExceptionally(new TimeoutException("no answer (test)"));
    sender.work(true); // asked again in 1 s
    assertThat(sender.nextDutyInNanos()).as("the fsync").isEqualTo(ms(600));
    advance(Duration.ofMillis(600));
    assertThat(sender.nextDutyInNanos()).isZero();
    sender.work(true);
    assertThat(sender.nextDutyInNanos()).as("the probe's next question").isEqualTo(ms(400));
  }

  @Test
  void theWorkerMaySleepUntilTheBackOffEndsAndARefusedRecordGivesItWork() {
    MockProducer<byte[], byte[]> producer = manualProducer();
    SpoolingSender sender = sender(producer);
    answer.complete(null);
    log(sender, FP_A, "a1");
    assertThat(sender.hasWorkNow()).isFalse();
    assertThat(sender.nextDutyInNanos()).isEqualTo(Long.MAX_VALUE);

    advance(Duration.ofMillis(300));
    producer.errorNext(new NetworkException("lost (test)"));
    assertThat(sender.hasWorkNow()).as("a1 is back, to be spooled").isTrue();
    sender.work(true);
    assertThat(sender.hasWorkNow()).isFalse();
    assertThat(sender.nextDutyInNanos()).as("the fsync").isEqualTo(ms(700));
    advance(Duration.ofMillis(700));
    sender.work(true);
    assertThat(sender.nextDutyInNanos()).as("the end of the back-off").isEqualTo(ms(300));
    advance(Duration.ofMillis(300));
    sender.work(true);
    assertThat(keysSent(producer)).containsExactly("a1", "a1");
    assertThat(sender.nextDutyInNanos())
        .as("the replay's acknowledgement rings")
        .isEqualTo(Long.MAX_VALUE);
    producer.completeNext();
    assertThat(sender.hasWorkNow()).as("the replay is over").isTrue();
  }

  private static long ms(long millis) {
    return Duration.ofMillis(millis).toNanos();
  }

  @Test
  void closeSpoolsWhatTheClosedProducerGivesBackAndWhatItCannotTake() {
    MockProducer<byte[], byte[]> producer = manualProducer();
    SpoolingSender sender = sender(producer);
    answer.complete(null);
    log(sender, FP_A, "a1");
    log(sender, FP_A, "a2");
    assertThat(sender.kafkaNotTaking(SpoolingSender.CLOSE_STALL)).isFalse();
    advance(Duration.ofSeconds(3));
    assertThat(sender.kafkaNotTaking(SpoolingSender.CLOSE_STALL))
        .as("no acknowledgement for longer than the stall")
        .isTrue();

    producer.close(Duration.ZERO);
    log(sender, FP_A, "a3"); // the closed producer refuses it at once: spooled
    // KafkaProducer.close(ZERO) aborts the batches it holds, completing them with this error
    KafkaException aborted = new KafkaException("Producer is closed forcefully.");
    producer.errorNext(aborted);
    producer.errorNext(aborted);
    sender.closeAfterWorker();

    Counts c = counters.snapshot();
    assertThat(c.spoolRecords()).isEqualTo(3);
    assertThat(c.failed()).isZero();
    assertAccountedFor();
    Spool reopened = new Spool(dir, 1 << 20, new Spool.Sync(1, Duration.ofSeconds(1)));
    assertThat(reopened.records()).isEqualTo(3);
    List<String> keys = new ArrayList<>();
    for (Spool.Entry e : reopened.oldest().entries()) {
      if (e.kind() == Spool.RECORD) {
        keys.add(new String(e.key(), StandardCharsets.UTF_8));
      }
    }
    assertThat(keys).containsExactly("a3", "a1", "a2");
  }

  private static long fingerprint(String schema) {
    return SingleObjectCodec.fingerprint(new Schema.Parser().parse(schema));
  }
}
