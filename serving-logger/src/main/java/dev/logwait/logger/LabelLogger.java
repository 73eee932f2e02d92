package dev.logwait.logger;

import dev.logwait.logger.internal.LoggerEngine;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.producer.Producer;

/**
 * Logs label events (clicks, purchases, delivery times) to Kafka, on the same engine as {@link
 * PredictionLogger}: {@link #log} never blocks or throws, and {@link #stats()} accounts for every
 * record. The message key is the prediction id, or the event id when the label joins on entity
 * keys. Thread-safe.
 */
public final class LabelLogger implements AutoCloseable {
  /** Default topic for labels. */
  public static final String DEFAULT_TOPIC = "logwait-labels";

  private final LoggerEngine<Label> engine;

  private LabelLogger(Builder b, Function<Map<String, Object>, Producer<byte[], byte[]>> f) {
    this.engine = new LoggerEngine<>(b.settings(), new LabelWriter(), f);
  }

  /**
   * Starts configuring a label logger.
   *
   * @return a builder with the defaults of {@link LoggerBuilder}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Queues a label; never blocks, never throws for a full queue.
   *
   * @param label the label (null is ignored)
   * @return false when it was dropped (queue full or logger closed), which is counted
   */
  public boolean log(Label label) {
    return label != null && engine.offer(label);
  }

  /**
   * Queues a label, waiting for room; for batch jobs and replays, not request threads.
   *
   * @param label the label (null is ignored)
   * @param maxWait how long to wait for room in the queue
   * @return false when it was dropped after the wait (or the logger is closed)
   */
  public boolean log(Label label, Duration maxWait) {
    return label != null && engine.offer(label, maxWait);
  }

  /**
   * What happened to every label logged so far.
   *
   * @return a snapshot of the counts
   */
  public LoggerStats stats() {
    return LoggerStats.of(engine.counts());
  }

  /**
   * Waits until every label queued so far is sent or failed.
   *
   * @param timeout how long to wait
   * @return true when nothing was left in flight
   */
  public boolean flush(Duration timeout) {
    return engine.flush(timeout);
  }

  /** Closes with the builder's close timeout; see {@link #close(Duration)}. */
  @Override
  public void close() {
    engine.close();
  }

  /**
   * Delivers or accounts for every accepted label, then stops; idempotent.
   *
   * @param timeout how long to wait for delivery before giving up (what is left counts as failed)
   */
  public void close(Duration timeout) {
    engine.close(timeout);
  }

  /** Builds a {@link LabelLogger}; see {@link LoggerBuilder} for the settings. */
  public static final class Builder extends LoggerBuilder<Builder> {
    private Builder() {
      super(DEFAULT_TOPIC);
    }

    /**
     * Builds the logger, with a Kafka producer of these settings.
     *
     * @return the logger, running
     */
    public LabelLogger build() {
      return new LabelLogger(this, LoggerEngine::kafkaProducer);
    }

    /**
     * Builds the logger with a producer of one's own (tests: Kafka's {@code MockProducer}).
     *
     * @param producerFactory makes the producer from the final producer properties
     * @return the logger, running
     */
    public LabelLogger build(
        Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory) {
      return new LabelLogger(this, producerFactory);
    }
  }
}
