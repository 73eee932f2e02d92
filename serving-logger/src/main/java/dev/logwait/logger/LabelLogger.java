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

  public static Builder builder() {
    return new Builder();
  }

  /** Queues a label; false when dropped (queue full or closed), which is counted. */
  public boolean log(Label label) {
    return label != null && engine.offer(label);
  }

  /** Waits up to {@code maxWait} for room; for batch jobs and replays, not request threads. */
  public boolean log(Label label, Duration maxWait) {
    return label != null && engine.offer(label, maxWait);
  }

  public LoggerStats stats() {
    return engine.stats();
  }

  public boolean flush(Duration timeout) {
    return engine.flush(timeout);
  }

  @Override
  public void close() {
    engine.close();
  }

  public void close(Duration timeout) {
    engine.close(timeout);
  }

  /** Builds a {@link LabelLogger}; see {@link LoggerBuilder} for the settings. */
  public static final class Builder extends LoggerBuilder<Builder> {
    private Builder() {
      super(DEFAULT_TOPIC);
    }

    public LabelLogger build() {
      return new LabelLogger(this, LoggerEngine::kafkaProducer);
    }

    public LabelLogger build(
        Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory) {
      return new LabelLogger(this, producerFactory);
    }
  }
}
