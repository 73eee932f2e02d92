package dev.logwait.logger.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind every logger: a bounded lock-free queue that callers offer to, and one named
 * daemon {@link Worker} that publishes schemas ({@link SchemaPublisher}), encodes and sends.
 * Callers never block and never touch Kafka. Every record offered is counted exactly once ({@link
 * Counters}) as dropped, or as logged and then sent or failed. With a {@link Spool}, the worker
 * writes to disk what Kafka cannot take and re-sends it ({@link SpoolingSender}). This class wires
 * the parts, takes the callers' calls, and owns the close protocol.
 *
 * @param <T> the record type
 */
public final class LoggerEngine<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoggerEngine.class);

  /** An idle worker's first park; each next one is twice as long, up to {@link #MAX_PARK}. */
  static final Duration FIRST_PARK = Duration.ofNanos(1_000);

  /**
   * The longest an idle worker parks before it looks at the queue again: how long a record logged
   * after a quiet spell may wait, unless a backlog makes its caller ring.
   */
  static final Duration MAX_PARK = Duration.ofSeconds(1);

  private final LoggerSettings settings;
  private final MpscArrayQueue<T> queue;
  private final Producer<byte[], byte[]> producer;
  private final Counters counters;
  private final SpoolingSender spooling; // null without a spool
  private final Doorbell doorbell = new Doorbell();
  private final int wakeBacklog;
  private final Worker<T> worker;
  private final Thread thread;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Starts the engine with a producer built from the settings.
   *
   * @param producerFactory builds the producer from the final properties (a seam for tests)
   */
  public LoggerEngine(
      LoggerSettings settings,
      RecordWriter<T> writer,
      Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory) {
    this(settings, writer, producerFactory, FIRST_PARK, MAX_PARK, 0);
  }

  /**
   * As the public constructor, with the idle worker's parks and the backlog at which a caller wakes
   * it (tests park it for hours, so that only the doorbell can wake it).
   *
   * @param wakeBacklog records in the queue at which a caller rings a parked worker; 0 for the
   *     default, a sixteenth of the queue
   */
  LoggerEngine(
      LoggerSettings settings,
      RecordWriter<T> writer,
      Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory,
      Duration firstPark,
      Duration maxPark,
      int wakeBacklog) {
    this.settings = settings;
    this.queue = new MpscArrayQueue<>(settings.queueCapacity());
    this.wakeBacklog = wakeBacklog > 0 ? wakeBacklog : Math.max(1, queue.capacity() / 16);
    Spool spool =
        settings.spoolDir() == null
            ? null
            : new Spool(settings.spoolDir(), settings.spoolMaxBytes(), settings.spoolSync());
    this.counters =
        new Counters(settings.clientId(), spool == null ? 0 : spool.records(), System::nanoTime);
    this.producer = producerFactory.apply(settings.producerProps());
    Map<String, Object> adminProps = adminProps(settings);
    SchemaPublisher schemas =
        new SchemaPublisher(
            producer,
            settings.schemasTopic(),
            schemaTimeout(settings, spool != null),
            counters,
            // with a spool, the cluster probe creates the topic, without blocking the worker
            settings.createSchemasTopic() && spool == null ? adminProps : null);
    this.spooling =
        spool == null
            ? null
            : new SpoolingSender(
                spool,
                producer,
                settings.topic(),
                settings.clientId(),
                counters,
                schemas,
                ClusterProbe.ofAdmin(
                    adminProps,
                    settings.schemasTopic(),
                    // a label logger publishes no schema: it only asks whether the cluster answers
                    settings.createSchemasTopic() && writer.publishesSchema(),
                    settings.clientId(),
                    System::nanoTime,
                    doorbell::ring),
                doorbell,
                System::nanoTime);
    if (spool != null && spool.records() > 0) {
      LOG.info(
          "logwait logger {}: {} records in spool {} from an earlier run; re-sending them",
          settings.clientId(),
          spool.records(),
          settings.spoolDir());
    }
    this.worker =
        new Worker<>(
            settings, queue, writer, producer, schemas, counters, spooling, doorbell, firstPark,
            maxPark);
    this.thread = new Thread(worker, "logwait-logger-" + settings.clientId());
    this.thread.setDaemon(true);
    doorbell.attach(thread);
    this.thread.start();
    if (settings.meterRegistry() != null) {
      MicrometerMeters.bind(settings.meterRegistry(), settings.clientId(), this);
    }
  }

  private static Map<String, Object> adminProps(LoggerSettings settings) {
    Map<String, Object> admin = new HashMap<>();
    settings
        .producerProps()
        .forEach(
            (k, v) -> {
              if (AdminClientConfig.configNames().contains(k)) {
                admin.put(k, v);
              }
            });
    admin.put(AdminClientConfig.CLIENT_ID_CONFIG, settings.clientId() + "-admin");
    return Map.copyOf(admin);
  }

  /**
   * How long a schema's publication waits for its acknowledgement: up to the delivery timeout, or
   * with a spool at most 10 s (its records then wait in the spool).
   */
  private static Duration schemaTimeout(LoggerSettings settings, boolean spool) {
    Object timeoutMs = settings.producerProps().get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
    long millis = timeoutMs == null ? 120_000 : Long.parseLong(timeoutMs.toString());
    return Duration.ofMillis(spool ? Math.min(millis, 10_000) : millis);
  }

  /** The default producer: a {@link KafkaProducer} of byte arrays. */
  public static Producer<byte[], byte[]> kafkaProducer(Map<String, Object> props) {
    return new KafkaProducer<>(props);
  }

  /** Offers a record; never blocks or throws. Returns false when it was dropped. */
  public boolean offer(T record) {
    if (closed.get() || !queue.offer(record)) {
      counters.dropped(closed.get());
      return false;
    }
    counters.logged();
    wakeForBacklog();
    return true;
  }

  /**
   * A parked worker comes back by itself (within {@link #MAX_PARK}); a caller wakes it only when
   * the queue holds a backlog, so that a request almost never pays for an unpark (a system call
   * that, on a busy machine, may also give the caller's core to the worker). Otherwise one volatile
   * read.
   */
  private void wakeForBacklog() {
    if (doorbell.isSleeping() && queue.size() >= wakeBacklog) {
      doorbell.ring();
    }
  }

  /**
   * Offers a record, waiting up to {@code maxWait} for room in the queue: for batch jobs and
   * replays, never for request threads. Returns false when it was dropped (and counted).
   */
  public boolean offer(T record, Duration maxWait) {
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (!closed.get() && !queue.offer(record)) {
      if (System.nanoTime() >= deadline) {
        counters.dropped(false);
        return false;
      }
      LockSupport.parkNanos(this, 100_000);
    }
    if (closed.get()) {
      counters.dropped(true);
      return false;
    }
    counters.logged();
    wakeForBacklog();
    return true;
  }

  /** Counts a record that sampling left out. */
  public void countSampledOut() {
    counters.sampledOut();
  }

  /** Counts a logged prediction with unset features, or without a score, or both. */
  public void countUnset(boolean features, boolean score) {
    counters.unset(features, score);
  }

  /** Counts a prediction refused because a feature or its score was unset. */
  public void countRefusedUnset() {
    counters.refusedUnset();
  }

  /** A consistent-enough snapshot of the counts. */
  public Counts counts() {
    return counters.snapshot();
  }

  /** Records in the queue, not yet taken by the worker. */
  public int queueSize() {
    return queue.size();
  }

  /**
   * Waits until every record logged before this call is sent or failed (with a spool: until the
   * spool is empty too).
   *
   * @return true when all were, false when the timeout passed first
   */
  public boolean flush(Duration timeout) {
    long target = counters.toAccountFor();
    long deadline = System.nanoTime() + timeout.toNanos();
    worker.requestFlush();
    while (counters.accounted() < target) {
      if (System.nanoTime() >= deadline || !thread.isAlive()) {
        return counters.accounted() >= target;
      }
      worker.requestFlush();
      LockSupport.parkNanos(this, 200_000);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    close(settings.closeTimeout());
  }

  /**
   * Stops accepting records, sends what is queued within the timeout, then forces: what is still
   * queued or unacknowledged is counted as failed (with a spool: spooled). Idempotent.
   */
  public void close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      awaitWorker(Duration.ofSeconds(5));
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    worker.stop();
    awaitWorker(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    if (thread.isAlive()) {
      worker.force();
      producer.close(Duration.ZERO); // wakes a send blocked on metadata; aborts open batches
      thread.interrupt();
      awaitWorker(Duration.ofSeconds(10));
    } else if (spooling != null && spooling.kafkaNotTaking(SpoolingSender.CLOSE_STALL)) {
      // Spool and return: what the producer holds comes back (aborted) and is spooled below; an
      // idempotent producer that never reached the cluster would wait the whole timeout.
      producer.close(Duration.ZERO);
    } else {
      producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    if (thread.isAlive()) {
      LOG.error(
          "logwait logger worker did not stop; {} records unaccounted",
          counters.snapshot().inFlight());
    } else {
      worker.drainAfterStop();
      if (spooling != null) {
        spooling.closeAfterWorker(); // with what the producer gave back when it was closed
      }
    }
  }

  /** Whether the worker sleeps now (for tests). */
  boolean workerSleeps() {
    return doorbell.isSleeping();
  }

  /** How many times the doorbell woke the worker so far (for tests). */
  long doorbellRings() {
    return doorbell.rings();
  }

  /** How many times the worker parked or slept so far (for tests). */
  long workerWakeups() {
    return worker.wakeups();
  }

  private void awaitWorker(Duration timeout) {
    try {
      thread.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
