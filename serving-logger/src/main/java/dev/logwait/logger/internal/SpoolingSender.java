package dev.logwait.logger.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's sending when it has a {@link Spool}: what Kafka cannot take goes to disk and is
 * re-sent, oldest first, when Kafka takes records again. The worker thread calls everything but the
 * producer's callbacks (which only count, and hand records back through a queue) and, after the
 * worker stopped, {@link #closeAfterWorker}. Time is read from the clock given (a seam for tests);
 * the only real-time wait is {@link #closeAfterWorker}'s, for the producer's own thread.
 */
final class SpoolingSender {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolingSender.class);
  private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();

  /** Unacknowledged records in the producer above which the worker spools instead of sending. */
  static final long HIGH_WATER = 16_384;

  /** How long the worker waits after Kafka refused records before it tries the spool again. */
  static final long BACKOFF_NANOS = Duration.ofSeconds(1).toNanos();

  /**
   * How long {@code close} waits for an acknowledgement (or an error) before it takes Kafka for
   * down and spools what the producer holds: a broker that takes records answers in milliseconds.
   */
  static final Duration CLOSE_STALL = Duration.ofSeconds(2);

  /** How long {@link #closeAfterWorker} waits for the records the closed producer gives back. */
  static final Duration CLOSE_RETURNS = Duration.ofSeconds(5);

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
  private final Counters counters;
  private final SchemaPublisher schemas;
  private final ClusterProbe probe;
  private final Doorbell doorbell;
  private final LongSupplier nanoTime;
  private final AtomicLong unacked = new AtomicLong();
  private final Object allAcked = new Object(); // notified when unacked reaches 0
  private final Queue<Returned> returned = new ConcurrentLinkedQueue<>();
  private final Map<Long, String> schemaJson = new HashMap<>(); // worker thread only
  private volatile long backoffUntilNanos;
  private volatile long lastCompletionNanos;
  private volatile long spoolRecords;
  private long lastDropWarnNanos; // worker thread only
  private Replay replay; // worker thread only

  /**
   * @param counters where sent, failed, spooled, replayed and dropped records are counted
   * @param schemas publishes a replayed segment's schemas before its records
   * @param probe whether the cluster answered: until it has, nothing is handed to the producer
   * @param doorbell rung by the producer's callbacks when they give the sleeping worker work
   * @param nanoTime the clock of the back-off, the stall and the spool-full warning
   */
  SpoolingSender(
      Spool spool,
      Producer<byte[], byte[]> producer,
      String topic,
      String description,
      Counters counters,
      SchemaPublisher schemas,
      ClusterProbe probe,
      Doorbell doorbell,
      LongSupplier nanoTime) {
    this.spool = spool;
    this.producer = producer;
    this.topic = topic;
    this.description = description;
    this.counters = counters;
    this.schemas = schemas;
    this.probe = probe;
    this.doorbell = doorbell;
    this.nanoTime = nanoTime;
    long now = nanoTime.getAsLong();
    this.backoffUntilNanos = now;
    this.lastCompletionNanos = now;
    this.lastDropWarnNanos = now - WARN_INTERVAL_NANOS - 1;
    publishSize();
  }

  /** Remembers a schema for records of that fingerprint that come back from the producer. */
  private void knowSchema(long fingerprint, Supplier<String> schema) {
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
        || backingOff()
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
        || backingOff()
        || spoolRecords > 0
        || (unacked.get() > 0 && nanoTime.getAsLong() - lastCompletionNanos > stall.toNanos());
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
            if (e == null) {
              counters.sent();
            } else if (spoolable(e)) {
              backoff();
              returned.add(new Returned(fp, key, value));
            } else {
              counters.fail(e.getClass().getSimpleName(), e);
            }
            completed(); // last: closeAfterWorker then finds the record returned
            if (e != null || spoolRecords > 0) {
              // a record to spool, or maybe room for the spool's replay (the high-water mark)
              doorbell.ring();
            }
          });
    } catch (RuntimeException e) {
      completed();
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
      counters.spooled();
    } else {
      counters.spoolDropped();
      long now = nanoTime.getAsLong();
      if (now - lastDropWarnNanos > WARN_INTERVAL_NANOS) {
        lastDropWarnNanos = now;
        LOG.warn("logwait logger {}: the spool is full; new records are dropped", description);
      }
    }
    publishSize();
  }

  /** Kafka refused records: the spool takes new ones for a moment. */
  void backoff() {
    backoffUntilNanos = nanoTime.getAsLong() + BACKOFF_NANOS;
  }

  private boolean backingOff() {
    return nanoTime.getAsLong() - backoffUntilNanos < 0;
  }

  /**
   * The worker's duties between records: spools what the producer gave back, fsyncs when the
   * interval passed, finishes a segment's replay, and starts the next when Kafka takes records.
   *
   * @param replays false while the logger closes: nothing more is re-sent
   */
  void work(boolean replays) {
    spoolReturned();
    spool.maybeSync();
    Replay r = replay;
    if (r != null && (r.failed || r.pending.get() == 0)) {
      if (!r.failed) {
        spool.remove(r.segment);
        counters.replayed(r.segment.records());
      }
      replay = null;
      publishSize();
    }
    if (replay == null
        && replays
        && !spool.isEmpty()
        && probe.answered()
        && !backingOff()
        && unacked.get() < HIGH_WATER / 2) {
      startReplay();
    }
  }

  /**
   * Whether {@link #work} has something to do now that a callback brought: records to spool, a
   * replay that ended. Worker thread.
   */
  boolean hasWorkNow() {
    Replay r = replay;
    return !returned.isEmpty() || (r != null && (r.failed || r.pending.get() == 0));
  }

  /**
   * How long the worker may sleep before {@link #work} has a duty that no callback announces: the
   * spool's next fsync, and while the spool waits to be re-sent, the end of the back-off or the
   * cluster probe's next question. {@link Long#MAX_VALUE} when there is none. Worker thread.
   */
  long nextDutyInNanos() {
    long due = spool.nextSyncInNanos();
    if (replay == null && !spool.isEmpty()) {
      long backoff = backoffUntilNanos - nanoTime.getAsLong();
      due = Math.min(due, backoff > 0 ? backoff : probe.nextAskInNanos());
    }
    return due;
  }

  /**
   * After the worker stopped: waits (at most {@link #CLOSE_RETURNS}) for the producer, closed, to
   * give back what it held, spools it, and closes the spool.
   */
  void closeAfterWorker() {
    long until = System.nanoTime() + CLOSE_RETURNS.toNanos();
    synchronized (allAcked) {
      long left;
      while (unacked.get() > 0 && (left = until - System.nanoTime()) > 0) {
        try {
          allAcked.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
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

  /**
   * Re-sends the oldest segment: every schema it holds first (when not yet published here), then
   * its records. A schema that cannot be published leaves the whole segment in the spool with
   * nothing of it sent, so that the next attempt sends each record once.
   */
  private void startReplay() {
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
    for (Spool.Entry e : seg.entries()) {
      if (e.kind() == Spool.SCHEMA) {
        schemaJson.putIfAbsent(e.fingerprint(), e.schema());
        try {
          schemas.ensurePublished(new Schema.Parser().parse(e.schema()), e.fingerprint());
        } catch (SchemaPublisher.NotPublished ex) {
          LOG.debug("schema not published; its segment stays in the spool", ex);
          backoff();
          return;
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    Replay r = new Replay(seg);
    for (Spool.Entry e : seg.entries()) {
      if (e.kind() != Spool.RECORD) {
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
              if (ex != null) {
                r.failed = true;
                backoff();
              }
              int left = r.pending.decrementAndGet();
              completed();
              if (left == 0 || ex != null) {
                doorbell.ring(); // the replay is over, or failed
              }
            });
      } catch (RuntimeException ex) {
        completed();
        r.failed = true;
        backoff();
        break;
      }
    }
    replay = r;
  }

  /** A record the producer acknowledged, refused, or never took. */
  private void completed() {
    lastCompletionNanos = nanoTime.getAsLong();
    if (unacked.decrementAndGet() == 0) {
      synchronized (allAcked) {
        allAcked.notifyAll();
      }
    }
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
    counters.spoolSize(spool.records(), spool.bytes(), spool.corruptBytes());
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
