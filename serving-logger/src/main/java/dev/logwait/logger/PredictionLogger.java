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

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Declares a feature set version to this logger, checking it against the versions declared
   * before. Optional for a single version; do it at start-up so an incompatible change fails there.
   *
   * @throws dev.logwait.schema.IncompatibleSchemaException naming the field that cannot resolve
   */
  public FeatureSet register(FeatureSet featureSet) {
    return registry.register(featureSet);
  }

  /**
   * Starts a prediction of {@code model}, or returns the inert {@link Prediction#isSampledOut()
   * sampled-out} instance when the model's sampling rate leaves it out (decided before any
   * allocation). Fill it in, then pass it to {@link #log}.
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
   */
  public boolean log(Prediction prediction, Duration maxWait) {
    if (prediction == null || prediction == Prediction.SAMPLED_OUT || prediction.logged) {
      return false;
    }
    prediction.ensureId();
    prediction.logged = true;
    return engine.offer(prediction, maxWait);
  }

  /** What happened to every record so far. */
  public LoggerStats stats() {
    return engine.stats();
  }

  /** Waits until every prediction logged before the call is sent or failed; false on timeout. */
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

    /** The fraction of a model's predictions to log, in [0, 1]. */
    public Builder sampleRate(String modelName, double rate) {
      Objects.requireNonNull(modelName, "modelName");
      sampleRates.put(modelName, checkRate("sampleRate(" + modelName + ")", rate));
      return this;
    }

    /** The fraction logged for models without their own rate; default 1.0 (all). */
    public Builder defaultSampleRate(double rate) {
      this.defaultSampleRate = checkRate("defaultSampleRate", rate);
      return this;
    }

    /** Where serving times come from, in microseconds since the epoch; for tests. */
    public Builder clockMicros(LongSupplier clock) {
      this.clockMicros = Objects.requireNonNull(clock, "clockMicros");
      return this;
    }

    public PredictionLogger build() {
      return new PredictionLogger(this, LoggerEngine::kafkaProducer);
    }

    /** Builds with another producer (tests: fakes, benchmarks: instrumented producers). */
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
