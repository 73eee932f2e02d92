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
 * <p>{@link #prediction} checks the feature set against the versions this logger knows and decides
 * sampling before allocating anything; {@link #log} never blocks, never throws and never touches
 * Kafka: a bounded queue and one daemon worker serialize and send with {@code acks=all},
 * idempotence, compression and batching. The message key is the prediction id. A feature or score
 * left unset is logged as missing, or refused ({@link UnsetPolicy}), and counted. {@link #stats()}
 * accounts for every record. Thread-safe.
 */
public final class PredictionLogger implements AutoCloseable {
  /** Default topic for predictions. */
  public static final String DEFAULT_TOPIC = "logwait-predictions";

  private final LoggerEngine<Prediction> engine;
  private final FeatureSetRegistry registry = new FeatureSetRegistry();

  /**
   * The feature set instances already checked against {@link #registry}, compared by identity on
   * every {@link #prediction} (copy-on-write: a service has a few, created once).
   */
  private volatile FeatureSet[] checked = new FeatureSet[0];

  private final boolean refuseUnset;
  private final Map<String, Double> sampleRates;
  private final double defaultSampleRate;
  private final LongSupplier clockMicros;

  private PredictionLogger(Builder b, Function<Map<String, Object>, Producer<byte[], byte[]>> f) {
    this.sampleRates = Map.copyOf(b.sampleRates);
    this.defaultSampleRate = b.defaultSampleRate;
    this.clockMicros = b.clockMicros;
    this.refuseUnset = b.unsetPolicy == UnsetPolicy.REFUSE;
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
   * before. A version first used by {@link #prediction} without it is declared there, with the same
   * checks; declare every version at start-up so that an incompatible change fails there and not on
   * a request.
   *
   * @param featureSet the version to declare
   * @return the registered version
   * @throws dev.logwait.schema.IncompatibleSchemaException naming the field that cannot resolve, or
   *     when the same name and version were declared with other fields
   */
  public FeatureSet register(FeatureSet featureSet) {
    return check(Objects.requireNonNull(featureSet, "featureSet"));
  }

  /**
   * Starts a prediction of {@code model}, or returns the inert {@link Prediction#isSampledOut()
   * sampled-out} instance when the model's sampling rate leaves it out (decided before any
   * allocation). Fill it in, then pass it to {@link #log}. The sampled-out instance has no id: its
   * {@link Prediction#predictionId()} is {@code null}, so a service that returns the id with its
   * response must expect none for predictions that were not logged.
   *
   * <p>The feature set must be one this logger knows, or compatible with the versions it knows: a
   * version never {@link #register registered} is registered at its first use; another declaration
   * of a registered name and version (other fields) is refused, so that records never claim a
   * writer schema they do not follow. An identity check per call once a set was seen.
   *
   * @param featureSet the feature set its values follow
   * @param modelName the model that serves it
   * @param modelVersion the model's version
   * @return a new prediction, or the sampled-out instance
   * @throws dev.logwait.schema.IncompatibleSchemaException when the feature set's name and version
   *     were registered with other fields, or it cannot read the versions registered before; the
   *     message names the field. Register every version at start-up to see this there.
   */
  public Prediction prediction(FeatureSet featureSet, String modelName, String modelVersion) {
    known(Objects.requireNonNull(featureSet, "featureSet"));
    Double configured = sampleRates.get(modelName);
    double rate = configured == null ? defaultSampleRate : configured;
    if (rate < 1.0 && ThreadLocalRandom.current().nextDouble() >= rate) {
      engine.countSampledOut();
      return Prediction.SAMPLED_OUT;
    }
    return new Prediction(
        featureSet,
        Objects.requireNonNull(modelName, "modelName"),
        Objects.requireNonNull(modelVersion, "modelVersion"),
        rate,
        clockMicros.getAsLong());
  }

  /**
   * Hands a prediction to the logger. Never blocks, never throws. Returns true when it was queued;
   * false when it was sampled out (already counted), already logged, refused because a feature or
   * the score was unset under {@link UnsetPolicy#REFUSE} (counted in {@link
   * LoggerStats#refusedUnset()}), or dropped (queue full or logger closed, counted in {@link
   * LoggerStats#dropped()}). Either way the prediction belongs to the logger afterwards.
   *
   * @param prediction the filled-in prediction
   * @return whether it was queued
   */
  public boolean log(Prediction prediction) {
    if (!take(prediction)) {
      return false;
    }
    if (prediction.hasScore && prediction.allFeaturesSet()) { // the common case: two checks
      return engine.offer(prediction);
    }
    return offerIncomplete(prediction, null);
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
    Objects.requireNonNull(maxWait, "maxWait");
    if (!take(prediction)) {
      return false;
    }
    if (prediction.hasScore && prediction.allFeaturesSet()) {
      return engine.offer(prediction, maxWait);
    }
    return offerIncomplete(prediction, maxWait);
  }

  /** Marks a prediction as the logger's; false when there is nothing to log. */
  private static boolean take(Prediction prediction) {
    if (prediction == null || prediction == Prediction.SAMPLED_OUT || prediction.logged) {
      return false;
    }
    prediction.ensureId();
    prediction.logged = true;
    return true;
  }

  /** A prediction with an unset feature or score: refused, or logged as missing; counted. */
  private boolean offerIncomplete(Prediction prediction, Duration maxWait) {
    if (refuseUnset) {
      engine.countRefusedUnset();
      return false;
    }
    boolean queued = maxWait == null ? engine.offer(prediction) : engine.offer(prediction, maxWait);
    if (queued) {
      engine.countUnset(!prediction.allFeaturesSet(), !prediction.hasScore);
    }
    return queued;
  }

  /** The identity check of {@link #prediction}; the registry's only on a set's first use. */
  private void known(FeatureSet featureSet) {
    for (FeatureSet k : checked) {
      if (k == featureSet) {
        return;
      }
    }
    check(featureSet);
  }

  private synchronized FeatureSet check(FeatureSet featureSet) {
    FeatureSet registered = registry.register(featureSet); // throws when it conflicts
    FeatureSet[] now = checked;
    // Bounded, for a service that builds an equal feature set per request: it is still checked,
    // only without the identity shortcut.
    boolean seen = false;
    for (FeatureSet k : now) {
      seen |= k == featureSet;
    }
    if (!seen && now.length < 64) {
      FeatureSet[] next = java.util.Arrays.copyOf(now, now.length + 1);
      next[now.length] = featureSet;
      checked = next;
    }
    return registered;
  }

  /**
   * What happened to every record so far.
   *
   * @return a snapshot of the counts
   */
  public LoggerStats stats() {
    return LoggerStats.of(engine.counts());
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
    private UnsetPolicy unsetPolicy = UnsetPolicy.LOG_AS_MISSING;

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
     * What to do with a prediction whose service left a feature or the score unset; default {@link
     * UnsetPolicy#LOG_AS_MISSING}. Either way it is counted.
     *
     * @param policy log such predictions with the unset values as missing, or refuse them
     * @return this builder
     */
    public Builder unsetPolicy(UnsetPolicy policy) {
      this.unsetPolicy = Objects.requireNonNull(policy, "unsetPolicy");
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
