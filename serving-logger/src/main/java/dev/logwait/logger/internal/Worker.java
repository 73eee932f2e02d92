package dev.logwait.logger.internal;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's one worker: takes records from the queue, publishes their schema before the first
 * one, encodes and sends them, or spools them when Kafka cannot take them ({@link SpoolingSender}),
 * and does the spool's duties between records. {@link #run()} runs on the worker thread; {@link
 * #stop()}, {@link #force()} and {@link #requestFlush()} are for the engine, on any thread.
 *
 * @param <T> the record type
 */
final class Worker<T> implements Runnable {
  // The engine's warnings keep the engine's logger name, which services may have configured.
  private static final Logger LOG = LoggerFactory.getLogger(LoggerEngine.class);
  private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();
  // close's last wait for acknowledgements looks every millisecond (only while closing)
  private static final long ACK_POLL_NANOS = Duration.ofMillis(1).toNanos();
  private final LoggerSettings settings;
  private final MpscArrayQueue<T> queue;
  private final RecordWriter<T> writer;
  private final RecordEncoder<T> encoder;
  private final Producer<byte[], byte[]> producer;
  private final SchemaPublisher schemas;
  private final Counters counters;
  private final SpoolingSender spooling; // null: without a spool, what Kafka refuses fails
  private final Doorbell doorbell;
  private final long firstParkNanos;
  private final long maxParkNanos;
  private final java.util.function.BooleanSupplier workArrived = this::hasWork;
  private final Callback callback;

  private volatile boolean running = true;
  private volatile boolean forced;
  private volatile boolean flushRequested;
  private long lastUnreachedWarnNanos = System.nanoTime() - WARN_INTERVAL_NANOS - 1;
  private long idleParkNanos; // worker thread only: the last park's length; 0 while busy
  private volatile long wakeups; // written by the worker only; read by tests

  Worker(
      LoggerSettings settings,
      MpscArrayQueue<T> queue,
      RecordWriter<T> writer,
      Producer<byte[], byte[]> producer,
      SchemaPublisher schemas,
      Counters counters,
      SpoolingSender spooling,
      Doorbell doorbell,
      Duration firstPark,
      Duration maxPark) {
    this.settings = settings;
    this.queue = queue;
    this.writer = writer;
    this.encoder = new RecordEncoder<>(writer);
    this.producer = producer;
    this.schemas = schemas;
    this.counters = counters;
    this.spooling = spooling;
    this.doorbell = doorbell;
    this.firstParkNanos = firstPark.toNanos();
    this.maxParkNanos = maxPark.toNanos();
    this.callback =
        (m, e) -> {
          if (e == null) {
            counters.sent();
          } else {
            counters.fail(e.getClass().getSimpleName(), e);
          }
        };
  }

  /** Stops taking new records once the queue is empty; the worker then ends. */
  void stop() {
    running = false;
    doorbell.ringNow();
  }

  /** Stops sending: what is left in the queue fails, or is spooled. */
  void force() {
    forced = true;
    doorbell.ringNow();
  }

  /** Asks the worker to flush the producer when the queue is empty. */
  void requestFlush() {
    flushRequested = true;
    doorbell.ringNow();
  }

  /** Times the worker went to park or sleep: a wake-up each (for tests). */
  long wakeups() {
    return wakeups;
  }

  @Override
  public void run() {
    while (true) {
      if (spooling != null) {
        spooling.work(running && !forced);
      }
      T record = queue.relaxedPoll();
      if (record == null) {
        if (!running || forced) {
          if (queue.isEmpty()) {
            break;
          }
          continue;
        }
        if (flushRequested) {
          flushRequested = false;
          flushProducer();
          continue;
        }
        rest();
        continue;
      }
      idleParkNanos = 0;
      handle(record);
    }
    if (!forced) {
      if (spooling == null) {
        flushProducer();
      } else {
        awaitAcknowledgements();
      }
    }
    if (spooling != null && !forced) {
      spooling.drainReturned();
    }
  }

  /**
   * With nothing to do: parks, each time twice as long as the time before (from {@code firstPark},
   * 1 µs, to {@code maxPark}, 1 s), so that a worker between records reacts within microseconds and
   * an idle one wakes once a second; with a spool, no longer than until its next duty (an fsync,
   * the end of a back-off, the cluster probe's next question). A park ends early when the doorbell
   * rings: callers ring it only for a backlog ({@link LoggerEngine#offer}), flush, close, the
   * producer's callbacks and the cluster probe whenever they give the worker work.
   */
  private void rest() {
    wakeups++;
    idleParkNanos = idleParkNanos == 0 ? firstParkNanos : Math.min(idleParkNanos * 2, maxParkNanos);
    long park =
        spooling == null ? idleParkNanos : Math.min(idleParkNanos, spooling.nextDutyInNanos());
    if (park > 0) {
      doorbell.sleep(park, workArrived);
    }
  }

  /** Whether there is work after all, looked at once the worker announced its sleep. */
  private boolean hasWork() {
    return !queue.isEmpty()
        || flushRequested
        || !running
        || forced
        || (spooling != null && spooling.hasWorkNow());
  }

  /**
   * After the worker thread ended (the caller joined it): a caller that passed the closed check
   * just before close may have enqueued after the worker's last poll. This thread is the queue's
   * only consumer now; those records are spooled, or fail.
   */
  void drainAfterStop() {
    T late;
    while ((late = queue.poll()) != null) { // poll, not relaxedPoll: waits for one in transit
      if (spooling == null) {
        counters.fail("LoggerClosed", null);
      } else {
        try {
          toSpool(late);
        } catch (Exception ex) {
          counters.fail(ex.getClass().getSimpleName(), ex);
        }
      }
    }
  }

  private void handle(T record) {
    try {
      if (forced) {
        if (spooling == null) {
          counters.fail("LoggerClosed", null);
        } else {
          toSpool(record);
        }
        return;
      }
      send(record);
    } catch (Throwable t) {
      rethrowIfFatal(t);
      counters.fail(t.getClass().getSimpleName(), t);
    }
  }

  /**
   * The worker's last wait, with a spool: for the producer's acknowledgements while Kafka takes
   * records, not for a Kafka that does not ({@code producer.flush()} would wait for the delivery
   * timeout); {@code close} then closes the producer at once and spools what it gives back.
   */
  private void awaitAcknowledgements() {
    while (spooling.unacked() > 0
        && !forced
        && !spooling.kafkaNotTaking(SpoolingSender.CLOSE_STALL)) {
      spooling.work(false);
      LockSupport.parkNanos(this, ACK_POLL_NANOS);
    }
  }

  private void send(T record) throws Exception {
    long fp = writer.fingerprint(record);
    if (spooling != null && spooling.mustSpool()) {
      warnIfUnreached();
      toSpool(record);
      return;
    }
    if (writer.publishesSchema() && !schemas.isPublished(fp)) {
      try {
        schemas.ensurePublished(writer.schema(record), fp);
      } catch (SchemaPublisher.NotPublished e) {
        if (spooling == null) {
          Throwable cause = e.getCause();
          counters.fail("SchemaPublishFailed:" + cause.getClass().getSimpleName(), cause);
        } else {
          LOG.debug("schema {} not published; its records wait in the spool", fp, e);
          spooling.backoff();
          toSpool(record);
        }
        return;
      }
    }
    byte[] value = encoder.encode(record, fp);
    byte[] key = writer.key(record);
    if (spooling == null) {
      producer.send(new ProducerRecord<>(settings.topic(), key, value), callback);
    } else {
      spooling.send(fp, schemaOf(record), key, value);
    }
  }

  private void toSpool(T record) throws Exception {
    long fp = writer.fingerprint(record);
    byte[] value = encoder.encode(record, fp);
    spooling.spool(fp, schemaOf(record), writer.key(record), value);
  }

  /** The record's writer schema as JSON, asked for only when the spool needs it. */
  private java.util.function.Supplier<String> schemaOf(T record) {
    return writer.publishesSchema() ? () -> writer.schema(record).toString() : null;
  }

  private void flushProducer() {
    try {
      producer.flush();
    } catch (RuntimeException e) {
      LOG.debug("flush failed", e);
    }
  }

  /** With a spool, while the cluster has not answered: says so, and why, every 30 s. */
  private void warnIfUnreached() {
    String why = spooling.unreachedBecause();
    long now = System.nanoTime();
    if (why != null && now - lastUnreachedWarnNanos > WARN_INTERVAL_NANOS) {
      lastUnreachedWarnNanos = now;
      LOG.warn(
          "logwait logger {}: Kafka ({}) has not answered yet ({}); records go to the spool {} and"
              + " are sent when it does",
          settings.clientId(),
          settings.producerProps().get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG),
          "null".equals(why) ? "asking" : why,
          settings.spoolDir());
    }
  }

  private static void rethrowIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError || t instanceof LinkageError) {
      throw (Error) t;
    }
    if (t instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
  }
}
