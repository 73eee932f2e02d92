package dev.logwait.logger;

import dev.logwait.logger.internal.LoggerEngine;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.FeatureSetRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.Producer;

/**
 * Logs served predictions to Kafka from a prediction service's request threads.
 *
 * <pre>{@code
 * FeatureSet ctr = FeatureSet.builder("ctr", 1).addDouble("age").addFloatVector("emb").build();
 * PredictionLogger logger = PredictionLogger.builder().bootstrapServers("kafka:9092").build();
 * logger.register(ctr);
 * Prediction p = logger.prediction(ctr, "ctr-model", "v7");
 * p.set(0, 31.0).set(1, embedding).entity("user_id", user).score(0.12);
 * logger.log(p);
 * }</pre>
 *
 * <p>{@link #prediction} decides sampling before allocating anything; {@link #log} never blocks,
 * never throws and never touches Kafka: a bounded queue and one daemon worker serialize and send
 * with {@code acks=all}, idempotence, compression and batching. The message key is the prediction
 * id. {@link #stats()} accounts for every record. Thread-safe.
 */
public final class PredictionLogger implements AutoCloseable {
  /** Default topic for predictions. */
  public static final String DEFAULT_TOPIC = "logwait-predictions";

  private final LoggerEngine<Prediction> engine;
  private final FeatureSetRegistry registry = new FeatureSetRegistry();
  private final Map<String, Double> sampleRates;
  private final double defaultSampleRate;
  private final LongSupplier clockMicros;

  private PredictionLogger(Builder b, Function<Map<String, Object>, Producer<byte[], byte[]>> f) {
    this.sampleRates = Map.copyOf(b.sampleRates);
    this.defaultSampleRate = b.defaultSampleRate;
    this.clockMicros = b.clockMicros;
    this.engine = new LoggerEngine<>(b.settings(), new PredictionWriter(), f);
  }

  /**
   * Starts configuring a prediction logger.
   *
   * @return a builder with the defaults of {@link LoggerBuilder}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Declares a feature set version to this logger, checking it against the versions declared
   * before. Optional for a single version; do it at start-up so an incompatible change fails there.
   *
   * @param featureSet the version to declare
   * @return the registered version
   * @throws dev.logwait.schema.IncompatibleSchemaException naming the field that cannot resolve
   */
  public FeatureSet register(FeatureSet featureSet) {
    return registry.register(featureSet);
  }

  /**
   * Starts a prediction of {@code model}, or returns the inert {@link Prediction#isSampledOut()
   * sampled-out} instance when the model's sampling rate leaves it out (decided before any
   * allocation). Fill it in, then pass it to {@link #log}.
   *
   * @param featureSet the feature set its values follow
   * @param modelName the model that serves it
   * @param modelVersion the model's version
   * @return a new prediction, or the sampled-out instance
   */
  public Prediction prediction(FeatureSet featureSet, String modelName, String modelVersion) {
    Double configured = sampleRates.get(modelName);
    double rate = configured == null ? defaultSampleRate : configured;
    if (rate < 1.0 && ThreadLocalRandom.current().nextDouble() >= rate) {
      engine.countSampledOut();
      return Prediction.SAMPLED_OUT;
    }
    return new Prediction(
        Objects.requireNonNull(featureSet, "featureSet"),
        Objects.requireNonNull(modelName, "modelName"),
        Objects.requireNonNull(modelVersion, "modelVersion"),
        rate,
        clockMicros.getAsLong());
  }

  /**
   * Hands a prediction to the logger. Never blocks, never throws. Returns true when it was queued;
   * false when it was sampled out (already counted), already logged, or dropped (queue full or
   * logger closed, counted in {@link LoggerStats#dropped()}).
   *
   * @param prediction the filled-in prediction
   * @return whether it was queued
   */
  public boolean log(Prediction prediction) {
    if (prediction == null || prediction == Prediction.SAMPLED_OUT || prediction.logged) {
      return false;
    }
    prediction.ensureId();
    prediction.logged = true;
    return engine.offer(prediction);
  }

  /**
   * Like {@link #log(Prediction)}, but waits up to {@code maxWait} for room when the queue is full.
   * For batch jobs, backfills and replays that prefer back-pressure to drops; never call it on a
   * request thread.
   *
   * @param prediction the filled-in prediction
   * @param maxWait how long to wait for room in the queue
   * @return whether it was queued
   */
  public boolean log(Prediction prediction, Duration maxWait) {
    if (prediction == null || prediction == Prediction.SAMPLED_OUT || prediction.logged) {
      return false;
    }
    prediction.ensureId();
    prediction.logged = true;
    return engine.offer(prediction, maxWait);
  }

  /**
   * What happened to every record so far.
   *
   * @return a snapshot of the counts
   */
  public LoggerStats stats() {
    return engine.stats();
  }

  /**
   * Waits until every prediction logged before the call is sent or failed.
   *
   * @param timeout how long to wait
   * @return false when the timeout passed first
   */
  public boolean flush(Duration timeout) {
    return engine.flush(timeout);
  }

  /** {@link #close(Duration)} with the configured close timeout. */
  @Override
  public void close() {
    engine.close();
  }

  /**
   * Stops accepting predictions, sends what is queued within {@code timeout}, then counts the rest
   * as failed. Idempotent. Afterwards {@code stats().logged() == sent() + failed()}.
   *
   * @param timeout how long to send what is queued
   */
  public void close(Duration timeout) {
    engine.close(timeout);
  }

  /** Builds a {@link PredictionLogger}; see {@link LoggerBuilder} for the shared settings. */
  public static final class Builder extends LoggerBuilder<Builder> {
    private final Map<String, Double> sampleRates = new HashMap<>();
    private double defaultSampleRate = 1.0;
    private LongSupplier clockMicros = () -> System.currentTimeMillis() * 1000L;

    private Builder() {
      super(DEFAULT_TOPIC);
    }

    /**
     * The fraction of a model's predictions to log.
     *
     * @param modelName the model
     * @param rate in [0, 1]
     * @return this builder
     */
    public Builder sampleRate(String modelName, double rate) {
      Objects.requireNonNull(modelName, "modelName");
      sampleRates.put(modelName, checkRate("sampleRate(" + modelName + ")", rate));
      return this;
    }

    /**
     * The fraction logged for models without their own rate; default 1.0 (all).
     *
     * @param rate in [0, 1]
     * @return this builder
     */
    public Builder defaultSampleRate(double rate) {
      this.defaultSampleRate = checkRate("defaultSampleRate", rate);
      return this;
    }

    /**
     * Where serving times come from; for tests.
     *
     * @param clock microseconds since the epoch
     * @return this builder
     */
    public Builder clockMicros(LongSupplier clock) {
      this.clockMicros = Objects.requireNonNull(clock, "clockMicros");
      return this;
    }

    /**
     * Builds the logger, with a Kafka producer of these settings.
     *
     * @return the logger, running
     */
    public PredictionLogger build() {
      return new PredictionLogger(this, LoggerEngine::kafkaProducer);
    }

    /**
     * Builds with another producer (tests: fakes, benchmarks: instrumented producers).
     *
     * @param producerFactory makes the producer from the final producer properties
     * @return the logger, running
     */
    public PredictionLogger build(
        Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory) {
      return new PredictionLogger(this, producerFactory);
    }

    private static double checkRate(String setting, double rate) {
      if (!(rate >= 0.0 && rate <= 1.0)) {
        throw new IllegalArgumentException(setting + " must be in [0, 1], was " + rate);
      }
      return rate;
    }
  }
}
