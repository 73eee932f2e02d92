package dev.logwait.logger.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's sending when it has a {@link Spool}: what Kafka cannot take goes to disk and is
 * re-sent, oldest first, when Kafka takes records again. The worker thread calls everything but the
 * producer's callbacks (which only hand records back through a queue) and, after the worker
 * stopped, {@link #closeAfterWorker}.
 */
final class SpoolingSender {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolingSender.class);
  private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();

  /** Unacknowledged records in the producer above which the worker spools instead of sending. */
  static final long HIGH_WATER = 16_384;

  /** How long the worker waits after Kafka refused records before it tries the spool again. */
  static final long BACKOFF_NANOS = Duration.ofSeconds(1).toNanos();

  /** Publishes a writer schema and waits for the acknowledgement; false when it failed. */
  @FunctionalInterface
  interface SchemaPublisher {
    boolean publish(Schema schema, long fingerprint) throws InterruptedException;
  }

  /** A record Kafka did not take, back from the producer's thread for the worker to spool. */
  private record Returned(long fingerprint, byte[] key, byte[] value) {}

  /** A spool segment being re-sent: removed when every record of it is acknowledged. */
  private static final class Replay {
    final Spool.Segment segment;
    final AtomicInteger pending;
    volatile boolean failed;

    Replay(Spool.Segment segment) {
      this.segment = segment;
      this.pending = new AtomicInteger(segment.records());
    }
  }

  private final Spool spool;
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final String description;
  private final LongAdder sent;
  private final BiConsumer<String, Throwable> fail;
  private final ClusterProbe probe;
  private final LongAdder spooled = new LongAdder();
  private final LongAdder replayed = new LongAdder();
  private final LongAdder spoolDropped = new LongAdder();
  private final long recovered;
  private final AtomicLong unacked = new AtomicLong();
  private final Queue<Returned> returned = new ConcurrentLinkedQueue<>();
  private final Map<Long, String> schemaJson = new HashMap<>(); // worker thread only
  private volatile long backoffUntilNanos;
  private volatile long lastCompletionNanos = System.nanoTime();
  private volatile long spoolRecords;
  private volatile long spoolBytes;
  private volatile long spoolCorruptBytes;
  private volatile long lastDropWarnNanos;
  private Replay replay; // worker thread only

  /**
   * @param sent the engine's count of acknowledged records (re-sent ones are added)
   * @param fail counts a record that will never be sent, by error class, with its cause
   * @param probe whether the cluster answered: until it has, nothing is handed to the producer
   */
  SpoolingSender(
      Spool spool,
      Producer<byte[], byte[]> producer,
      String topic,
      String description,
      LongAdder sent,
      BiConsumer<String, Throwable> fail,
      ClusterProbe probe) {
    this.probe = probe;
    this.spool = spool;
    this.producer = producer;
    this.topic = topic;
    this.description = description;
    this.sent = sent;
    this.fail = fail;
    this.recovered = spool.records();
    publishSize();
  }

  long recovered() {
    return recovered;
  }

  long spooled() {
    return spooled.sum();
  }

  long replayed() {
    return replayed.sum();
  }

  long spoolDropped() {
    return spoolDropped.sum();
  }

  long spoolRecords() {
    return spoolRecords;
  }

  long spoolBytes() {
    return spoolBytes;
  }

  long spoolCorruptBytes() {
    return spoolCorruptBytes;
  }

  /** Remembers a schema for records of that fingerprint that come back from the producer. */
  void knowSchema(long fingerprint, Supplier<String> schema) {
    if (schema != null && !schemaJson.containsKey(fingerprint)) {
      schemaJson.put(fingerprint, schema.get());
    }
  }

  /**
   * New records join the spool until the cluster has answered once ({@link ClusterProbe}), while
   * the spool holds records not yet handed to the producer (so that they reach Kafka after those),
   * while Kafka falls {@link #HIGH_WATER} behind, and for a moment after it refused records. Once
   * the last segment's replay is handed over, new records go straight to the producer again, behind
   * it.
   */
  boolean mustSpool() {
    long replaying = replay == null ? 0 : replay.segment.records();
    return !probe.answered()
        || spool.records() > replaying
        || System.nanoTime() < backoffUntilNanos
        || unacked.get() >= HIGH_WATER;
  }

  /** Why the cluster has not answered yet, or null when it has. */
  String unreachedBecause() {
    return probe.answered() ? null : String.valueOf(probe.lastFailure());
  }

  /**
   * Whether waiting for acknowledgements is pointless: the cluster never answered, it refused
   * records a moment ago, the spool is taking new records, or no acknowledgement (nor error) came
   * for {@code stall} while records wait for one.
   */
  boolean kafkaNotTaking(Duration stall) {
    return !probe.hasAnswered() // asks nothing: close() calls this after the worker stopped
        || System.nanoTime() < backoffUntilNanos
        || spoolRecords > 0
        || (unacked.get() > 0 && System.nanoTime() - lastCompletionNanos > stall.toNanos());
  }

  /** Records handed to the producer and not yet acknowledged or refused. */
  long unacked() {
    return unacked.get();
  }

  /** Sends; what Kafka refuses with an error a retry may cure comes back to the spool. */
  void send(long fp, Supplier<String> schema, byte[] key, byte[] value) {
    knowSchema(fp, schema);
    unacked.incrementAndGet();
    try {
      producer.send(
          new ProducerRecord<>(topic, key, value),
          (m, e) -> {
            unacked.decrementAndGet();
            lastCompletionNanos = System.nanoTime();
            if (e == null) {
              sent.increment();
            } else if (spoolable(e)) {
              backoff();
              returned.add(new Returned(fp, key, value));
            } else {
              fail.accept(e.getClass().getSimpleName(), e);
            }
          });
    } catch (RuntimeException e) {
      unacked.decrementAndGet();
      if (!spoolable(e)) {
        throw e;
      }
      backoff();
      spool(fp, schema, key, value);
    }
  }

  /** Writes a record to the spool, or drops and counts it when the spool is full. */
  void spool(long fp, Supplier<String> schema, byte[] key, byte[] value) {
    if (spool.append(fp, schema, key, value)) {
      spooled.increment();
    } else {
      spoolDropped.increment();
      long now = System.nanoTime();
      if (now - lastDropWarnNanos > WARN_INTERVAL_NANOS) {
        lastDropWarnNanos = now;
        LOG.warn("logwait logger {}: the spool is full; new records are dropped", description);
      }
    }
    publishSize();
  }

  /** Kafka refused records: the spool takes new ones for a moment. */
  void backoff() {
    backoffUntilNanos = System.nanoTime() + BACKOFF_NANOS;
  }

  /**
   * The worker's duties between records: spools what the producer gave back, fsyncs when the
   * interval passed, finishes a segment's replay, and starts the next when Kafka takes records.
   *
   * @param replays false while the logger closes: nothing more is re-sent
   */
  void work(boolean replays, SchemaPublisher publisher, java.util.Set<Long> published) {
    spoolReturned();
    spool.maybeSync();
    Replay r = replay;
    if (r != null && (r.failed || r.pending.get() == 0)) {
      if (!r.failed) {
        spool.remove(r.segment);
        sent.add(r.segment.records());
        replayed.add(r.segment.records());
      }
      replay = null;
      publishSize();
    }
    if (replay == null
        && replays
        && !spool.isEmpty()
        && probe.answered()
        && System.nanoTime() >= backoffUntilNanos
        && unacked.get() < HIGH_WATER / 2) {
      startReplay(publisher, published);
    }
  }

  /** After the worker stopped: spools what the producer gave back on close, and closes. */
  void closeAfterWorker() {
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (unacked.get() > 0 && System.nanoTime() < until) {
      LockSupport.parkNanos(this, 1_000_000);
    }
    spoolReturned();
    spool.close();
    probe.close();
    publishSize();
  }

  /** The worker's last act: spools what the producer gave back. */
  void drainReturned() {
    spoolReturned();
    publishSize();
  }

  /** Re-sends the oldest segment: its schemas first (when not yet published here), then records. */
  private void startReplay(SchemaPublisher publisher, java.util.Set<Long> published) {
    Spool.Segment seg = spool.oldest();
    publishSize();
    if (seg == null) {
      return;
    }
    if (seg.records() == 0) {
      spool.remove(seg);
      publishSize();
      return;
    }
    Replay r = new Replay(seg);
    for (Spool.Entry e : seg.entries()) {
      if (e.kind() == Spool.SCHEMA) {
        schemaJson.putIfAbsent(e.fingerprint(), e.schema());
        if (!published.contains(e.fingerprint())) {
          try {
            if (!publisher.publish(new Schema.Parser().parse(e.schema()), e.fingerprint())) {
              backoff();
              return; // nothing of the segment was sent; it stays
            }
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        continue;
      }
      if (r.failed) {
        break;
      }
      try {
        unacked.incrementAndGet();
        producer.send(
            new ProducerRecord<>(topic, e.key(), e.value()),
            (m, ex) -> {
              unacked.decrementAndGet();
              lastCompletionNanos = System.nanoTime();
              if (ex != null) {
                r.failed = true;
                backoff();
              }
              r.pending.decrementAndGet();
            });
      } catch (RuntimeException ex) {
        unacked.decrementAndGet();
        r.failed = true;
        backoff();
        break;
      }
    }
    replay = r;
  }

  private void spoolReturned() {
    Returned r;
    while ((r = returned.poll()) != null) {
      String json = schemaJson.get(r.fingerprint());
      spool(r.fingerprint(), json == null ? null : () -> json, r.key(), r.value());
    }
  }

  private void publishSize() {
    spoolRecords = spool.records();
    spoolBytes = spool.bytes();
    spoolCorruptBytes = spool.corruptBytes();
  }

  /**
   * Whether a record Kafka refused may succeed later: everything but the errors the broker gives
   * for the record itself (too large, unauthorized, invalid), which no retry cures.
   */
  private static boolean spoolable(Exception e) {
    return !(e instanceof org.apache.kafka.common.errors.ApiException)
        || e instanceof org.apache.kafka.common.errors.RetriableException;
  }
}
