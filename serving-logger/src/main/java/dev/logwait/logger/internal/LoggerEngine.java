package dev.logwait.logger.internal;

import dev.logwait.logger.LoggerStats;
import dev.logwait.schema.SchemaTopic;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jctools.queues.MpscArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine behind every logger: a bounded lock-free queue that callers offer to, and one named
 * daemon worker that publishes schemas, encodes and sends. Callers never block and never touch
 * Kafka. Every record offered is counted exactly once as dropped, or as logged and then sent or
 * failed. With a {@link Spool}, the worker writes to disk what Kafka cannot take and re-sends it
 * ({@link SpoolingSender}).
 *
 * @param <T> the record type
 */
public final class LoggerEngine<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LoggerEngine.class);
  private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();
  private static final long MAX_IDLE_PARK_NANOS = Duration.ofMillis(1).toNanos();

  /**
   * With a spool, how long {@code close} waits for an acknowledgement (or an error) before it takes
   * Kafka for down and spools what the producer holds: a broker that takes records answers in
   * milliseconds.
   */
  static final Duration CLOSE_STALL = Duration.ofSeconds(2);

  private final LoggerSettings settings;
  private final RecordWriter<T> writer;
  private final MpscArrayQueue<T> queue;
  private final Producer<byte[], byte[]> producer;
  private final Map<String, Object> adminProps;
  private final Thread worker;

  private final LongAdder logged = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder schemasPublished = new LongAdder();
  private final Map<String, LongAdder> failedBy = new ConcurrentHashMap<>();
  private final LongAdder sampledOut = new LongAdder();
  private final LongAdder withUnsetFeatures = new LongAdder();
  private final LongAdder withoutScore = new LongAdder();
  private final LongAdder refusedUnset = new LongAdder();

  // With a spool: what Kafka cannot take goes to disk and is re-sent (null: failed or dropped).
  private final SpoolingSender spooling;

  private final Set<Long> publishedFingerprints = new HashSet<>(); // worker thread only
  private long
      lastPublished; // worker thread only: skips the set (and boxing) for a run of one schema
  private boolean schemaTopicChecked; // worker thread only
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean running = true;
  private volatile boolean forced;
  private volatile boolean flushRequested;
  private volatile long lastDropWarnNanos;
  private volatile long lastFailWarnNanos;
  private long lastUnreachedWarnNanos; // worker thread only
  private final Callback callback = this::onCompletion;

  /**
   * Starts the engine with a producer built from the settings.
   *
   * @param producerFactory builds the producer from the final properties (a seam for tests)
   */
  public LoggerEngine(
      LoggerSettings settings,
      RecordWriter<T> writer,
      Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory) {
    this.settings = settings;
    this.writer = writer;
    this.queue = new MpscArrayQueue<>(settings.queueCapacity());
    Spool spool =
        settings.spoolDir() == null
            ? null
            : new Spool(settings.spoolDir(), settings.spoolMaxBytes(), settings.spoolSync());
    this.producer = producerFactory.apply(settings.producerProps());
    this.adminProps = adminProps(settings);
    this.spooling =
        spool == null
            ? null
            : new SpoolingSender(
                spool,
                producer,
                settings.topic(),
                settings.clientId(),
                sent,
                this::fail,
                new ClusterProbe(
                    adminProps,
                    settings.schemasTopic(),
                    // a label logger publishes no schema: it only asks whether the cluster answers
                    settings.createSchemasTopic() && writer.publishesSchema(),
                    settings.clientId()));
    // With a spool, the probe creates the schemas topic (without blocking the worker).
    this.schemaTopicChecked = spool != null;
    if (spool != null && spool.records() > 0) {
      LOG.info(
          "logwait logger {}: {} records in spool {} from an earlier run; re-sending them",
          settings.clientId(),
          spool.records(),
          settings.spoolDir());
    }
    this.worker = new Thread(this::runWorker, "logwait-logger-" + settings.clientId());
    this.worker.setDaemon(true);
    this.worker.start();
    if (settings.meterRegistry() != null) {
      MicrometerMeters.bind(settings.meterRegistry(), settings.clientId(), this);
    }
  }

  private static Map<String, Object> adminProps(LoggerSettings settings) {
    Map<String, Object> admin = new java.util.HashMap<>();
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

  /** The default producer: a {@link KafkaProducer} of byte arrays. */
  public static Producer<byte[], byte[]> kafkaProducer(Map<String, Object> props) {
    return new KafkaProducer<>(props);
  }

  /** Offers a record; never blocks or throws. Returns false when it was dropped. */
  public boolean offer(T record) {
    if (closed.get() || !queue.offer(record)) {
      dropped.increment();
      warnDropped();
      return false;
    }
    logged.increment();
    return true;
  }

  /**
   * Offers a record, waiting up to {@code maxWait} for room in the queue: for batch jobs and
   * replays, never for request threads. Returns false when it was dropped (and counted).
   */
  public boolean offer(T record, Duration maxWait) {
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (!closed.get() && !queue.offer(record)) {
      if (System.nanoTime() >= deadline) {
        dropped.increment();
        warnDropped();
        return false;
      }
      LockSupport.parkNanos(this, 100_000);
    }
    if (closed.get()) {
      dropped.increment();
      return false;
    }
    logged.increment();
    return true;
  }

  /** Counts a record that sampling left out. */
  public void countSampledOut() {
    sampledOut.increment();
  }

  /** Counts a logged prediction with unset features, or without a score, or both. */
  public void countUnset(boolean features, boolean score) {
    if (features) {
      withUnsetFeatures.increment();
    }
    if (score) {
      withoutScore.increment();
    }
  }

  /** Counts a prediction refused because a feature or its score was unset. */
  public void countRefusedUnset() {
    refusedUnset.increment();
  }

  /** A consistent-enough snapshot of the counters. */
  public LoggerStats stats() {
    long s = sent.sum();
    long f = failed.sum();
    long l = logged.sum();
    Map<String, Long> by = new TreeMap<>();
    failedBy.forEach((k, v) -> by.put(k, v.sum()));
    SpoolingSender sp = spooling;
    long sd = sp == null ? 0 : sp.spoolDropped();
    long held = sp == null ? 0 : sp.spoolRecords();
    long recovered = sp == null ? 0 : sp.recovered();
    return new LoggerStats(
        l,
        sampledOut.sum(),
        dropped.sum(),
        s,
        f,
        by,
        Math.max(0, l + recovered - s - f - sd - held),
        schemasPublished.sum(),
        sp == null ? 0 : sp.spooled(),
        sp == null ? 0 : sp.replayed(),
        sd,
        held,
        sp == null ? 0 : sp.spoolBytes(),
        sp == null ? 0 : sp.spoolCorruptBytes(),
        recovered,
        withUnsetFeatures.sum(),
        withoutScore.sum(),
        refusedUnset.sum());
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
    long target = logged.sum() + (spooling == null ? 0 : spooling.recovered());
    long deadline = System.nanoTime() + timeout.toNanos();
    flushRequested = true;
    LockSupport.unpark(worker);
    while (accounted() < target) {
      if (System.nanoTime() >= deadline || !worker.isAlive()) {
        return accounted() >= target;
      }
      flushRequested = true;
      LockSupport.unpark(worker);
      LockSupport.parkNanos(this, 200_000);
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Records that are sent, failed, or dropped by a full spool. */
  private long accounted() {
    return sent.sum() + failed.sum() + (spooling == null ? 0 : spooling.spoolDropped());
  }

  @Override
  public void close() {
    close(settings.closeTimeout());
  }

  /**
   * Stops accepting records, sends what is queued within the timeout, then forces: what is still
   * queued or unacknowledged is counted as failed. Idempotent.
   */
  public void close(Duration timeout) {
    if (!closed.compareAndSet(false, true)) {
      awaitWorker(Duration.ofSeconds(5));
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    running = false;
    LockSupport.unpark(worker);
    awaitWorker(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    if (worker.isAlive()) {
      forced = true;
      producer.close(Duration.ZERO); // wakes a send blocked on metadata; aborts open batches
      worker.interrupt();
      awaitWorker(Duration.ofSeconds(10));
    } else if (spooling != null && spooling.kafkaNotTaking(CLOSE_STALL)) {
      // Spool and return: what the producer holds comes back (aborted) and is spooled below; an
      // idempotent producer that never reached the cluster would wait the whole timeout.
      producer.close(Duration.ZERO);
    } else {
      producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    if (worker.isAlive()) {
      LOG.error("logwait logger worker did not stop; {} records unaccounted", stats().inFlight());
    } else {
      // A caller that passed the closed check just before close() may have enqueued after the
      // worker's last poll: with the worker gone, this thread is the queue's only consumer.
      T late;
      while ((late = queue.poll()) != null) { // poll, not relaxedPoll: waits for one in transit
        if (spooling == null) {
          fail("LoggerClosed");
        } else {
          try {
            ReusableBuffer b = new ReusableBuffer(4096);
            toSpool(late, b, EncoderFactory.get().binaryEncoder(b, null));
          } catch (Exception ex) {
            fail(ex.getClass().getSimpleName(), ex);
          }
        }
      }
      if (spooling != null) {
        spooling.closeAfterWorker(); // with what the producer gave back when it was closed
      }
    }
  }

  private void awaitWorker(Duration timeout) {
    try {
      worker.join(Math.max(1, timeout.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void runWorker() {
    ReusableBuffer buffer = new ReusableBuffer(4096);
    // Buffered: Avro's encoder fills its own array and hands it over in chunks, instead of one
    // OutputStream call per value.
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer, null);
    long idleNanos = 1_000;
    while (true) {
      if (spooling != null) {
        spooling.work(running && !forced, this::publish, publishedFingerprints);
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
        LockSupport.parkNanos(this, idleNanos);
        idleNanos = Math.min(idleNanos * 2, MAX_IDLE_PARK_NANOS);
        continue;
      }
      idleNanos = 1_000;
      try {
        if (forced) {
          if (spooling == null) {
            fail("LoggerClosed");
          } else {
            toSpool(record, buffer, encoder);
          }
          continue;
        }
        send(record, buffer, encoder);
      } catch (Throwable t) {
        rethrowIfFatal(t);
        fail(t.getClass().getSimpleName(), t);
      }
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
   * The worker's last wait, with a spool: for the producer's acknowledgements while Kafka takes
   * records, not for a Kafka that does not ({@code producer.flush()} would wait for the delivery
   * timeout); {@code close} then closes the producer at once and spools what it gives back.
   */
  private void awaitAcknowledgements() {
    while (spooling.unacked() > 0 && !forced && !spooling.kafkaNotTaking(CLOSE_STALL)) {
      spooling.work(false, this::publish, publishedFingerprints);
      LockSupport.parkNanos(this, MAX_IDLE_PARK_NANOS);
    }
  }

  private void toSpool(T record, ReusableBuffer buffer, BinaryEncoder encoder) throws Exception {
    long fp = writer.fingerprint(record);
    byte[] value = encode(record, fp, buffer, encoder);
    spooling.spool(fp, schemaOf(record), writer.key(record), value);
  }

  /** The record's writer schema as JSON, asked for only when the spool needs it. */
  private java.util.function.Supplier<String> schemaOf(T record) {
    return writer.publishesSchema() ? () -> writer.schema(record).toString() : null;
  }

  private void send(T record, ReusableBuffer buffer, BinaryEncoder encoder) throws Exception {
    long fp = writer.fingerprint(record);
    if (spooling != null && spooling.mustSpool()) {
      warnIfUnreached();
      toSpool(record, buffer, encoder);
      return;
    }
    if (writer.publishesSchema() && fp != lastPublished) {
      if (!publishedFingerprints.contains(fp) && !publishSchema(writer.schema(record), fp)) {
        if (spooling != null) {
          spooling.backoff();
          toSpool(record, buffer, encoder);
        }
        return;
      }
      lastPublished = fp;
    }
    byte[] value = encode(record, fp, buffer, encoder);
    byte[] key = writer.key(record);
    if (spooling == null) {
      producer.send(new ProducerRecord<>(settings.topic(), key, value), callback);
    } else {
      spooling.send(fp, schemaOf(record), key, value);
    }
  }

  private byte[] encode(T record, long fp, ReusableBuffer buffer, BinaryEncoder encoder)
      throws java.io.IOException {
    buffer.reset();
    buffer.reserveHeader(fp);
    writer.writeBody(record, encoder);
    encoder.flush();
    return buffer.toByteArray();
  }

  /** Publishes before the first record that uses the schema; on failure the record fails. */
  private boolean publishSchema(Schema schema, long fp) throws InterruptedException {
    if (!schemaTopicChecked && settings.createSchemasTopic()) {
      try (Admin admin = Admin.create(adminProps)) {
        Exception e =
            SchemaTopic.ensureTopic(admin, settings.schemasTopic(), Duration.ofSeconds(30));
        if (e != null) {
          LOG.warn(
              "Cannot create schemas topic {} ({}); publishing to it as it is",
              settings.schemasTopic(),
              e.toString());
        }
      } catch (RuntimeException e) {
        LOG.warn("Cannot check schemas topic {}: {}", settings.schemasTopic(), e.toString());
      }
      schemaTopicChecked = true;
    }
    return publish(schema, fp);
  }

  /**
   * Publishes a schema and waits for the acknowledgement: up to the delivery timeout, or with a
   * spool at most 10 s (the record then waits in the spool). On failure without a spool, the record
   * fails.
   */
  private boolean publish(Schema schema, long fp) throws InterruptedException {
    Object timeoutMs = settings.producerProps().get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);
    long millis = timeoutMs == null ? 120_000 : Long.parseLong(timeoutMs.toString());
    if (spooling != null) {
      millis = Math.min(millis, 10_000);
    }
    try {
      SchemaTopic.publish(producer, settings.schemasTopic(), schema, Duration.ofMillis(millis));
      publishedFingerprints.add(fp);
      schemasPublished.increment();
      return true;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      if (spooling == null) {
        fail("SchemaPublishFailed:" + cause.getClass().getSimpleName(), cause);
      } else {
        LOG.debug("schema {} not published; its records wait in the spool", fp, cause);
      }
      return false;
    }
  }

  private void flushProducer() {
    try {
      producer.flush();
    } catch (RuntimeException e) {
      LOG.debug("flush failed", e);
    }
  }

  private void onCompletion(org.apache.kafka.clients.producer.RecordMetadata m, Exception e) {
    if (e == null) {
      sent.increment();
    } else {
      fail(e.getClass().getSimpleName(), e);
    }
  }

  /** A record that will never be sent is counted under {@code errorClass}; the warning says why. */
  private void fail(String errorClass, Throwable cause) {
    failedBy.computeIfAbsent(errorClass, k -> new LongAdder()).increment();
    failed.increment();
    long now = System.nanoTime();
    if (now - lastFailWarnNanos > WARN_INTERVAL_NANOS) {
      lastFailWarnNanos = now;
      LOG.warn(
          "logwait logger {} failed to send records ({}: {}); totals so far: {}",
          settings.clientId(),
          errorClass,
          describe(cause),
          stats(),
          cause);
    }
  }

  private void fail(String errorClass) {
    fail(errorClass, null);
  }

  /** The cause and what caused it, in one line. */
  static String describe(Throwable t) {
    if (t == null) {
      return "no cause";
    }
    StringBuilder sb = new StringBuilder(String.valueOf(t));
    for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
      sb.append("; caused by ").append(c);
      if (c.getCause() == c) {
        break;
      }
    }
    return sb.toString();
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

  private void warnDropped() {
    long now = System.nanoTime();
    if (now - lastDropWarnNanos > WARN_INTERVAL_NANOS) {
      lastDropWarnNanos = now;
      LOG.warn(
          "logwait logger {} dropped records ({}); totals so far: {}",
          settings.clientId(),
          closed.get() ? "closed" : "queue full",
          stats());
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
