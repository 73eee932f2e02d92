package dev.logwait.logger.bandit;

import dev.logwait.logger.Prediction;
import dev.logwait.logger.bandit.RouterStats.Ignored;
import dev.logwait.schema.MalformedMessageException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Chooses one of its arms (model versions, layouts, any actions) per request by Thompson sampling,
 * and reports the exact probability with which it chose: the propensity that off-policy evaluation
 * needs, never {@code 1/n}.
 *
 * <pre>{@code
 * Router layout = Router.builder("layout").arms("grid", "list", "carousel")
 *     .bootstrapServers("kafka:9092").build();              // once, at start-up
 *
 * long choice = layout.choose();                           // on the request thread
 * String arm = layout.arm(choice);
 * Prediction p = logger.prediction(features, "layout", arm);
 * layout.apply(choice, p);                                 // action = arm, propensity = exact
 * logger.log(p.score(model.score(...)));
 * }</pre>
 *
 * <p>How the probabilities come about: a background thread reads the joiner's posterior statistics
 * ({@link RouterPosterior}) from a compacted topic, turns them into each arm's probability of being
 * best ({@link RewardKind}; Monte Carlo, {@link RouterBuilder#monteCarloDraws}), mixes in each
 * arm's floor, {@code p_i = floor_i + (1 - Σ floors) · P(best)_i}, rounds the shares to multiples
 * of 2^-31 that sum to exactly 1, and publishes them as an immutable alias table with one volatile
 * write. {@link #choose()} reads that table, draws 64 random bits from {@link ThreadLocalRandom}
 * and picks with integer comparisons: no lock, no allocation, no I/O, and the propensity it reports
 * is the probability the table draws that arm with, exactly. Drawing the arm from P(best) is
 * Thompson sampling (which draws an arm with exactly its probability of being best), with the
 * probability made explicit.
 *
 * <p>Until a posterior arrives, and whenever the newest is older than {@link
 * RouterBuilder#maxPosteriorAge}, the router chooses by its {@link RouterBuilder#fallbackWeights
 * fallback weights} (with the same floors), counted in {@link #stats()}. A posterior that does not
 * decode, names another router or another reward kind, or has numbers out of range is ignored and
 * counted; nothing about the posteriors ever throws on, or blocks, a request thread. Thread-safe.
 */
public final class Router implements AutoCloseable {
  /**
   * Default of {@link RouterBuilder#topic}: the compacted topic the joiner publishes posteriors to.
   */
  public static final String DEFAULT_TOPIC = "logwait-posteriors";

  /** Default floors: together 1% of the traffic, split equally over the arms. */
  public static final double DEFAULT_TOTAL_FLOOR = 0.01;

  /** The smallest floor an arm may have: its propensity never falls below it. */
  public static final double MIN_FLOOR = 1e-6;

  /** Default of {@link RouterBuilder#maxPosteriorAge}. */
  public static final Duration DEFAULT_MAX_POSTERIOR_AGE = Duration.ofHours(1);

  /** Default of {@link RouterBuilder#monteCarloDraws}. */
  public static final int DEFAULT_MONTE_CARLO_DRAWS = 10_000;

  /** The most arms a router takes. */
  public static final int MAX_ARMS = AliasTable.MAX_ARMS;

  /** How often the background thread polls and checks the posterior's age. */
  static final Duration DEFAULT_TICK = Duration.ofSeconds(1);

  private final String name;
  private final String[] arms;
  private final List<String> armList;
  private final LongAdder[] choices;
  private final LongAdder fallbackChoices = new LongAdder();
  private final Policy policy;
  private final Background background;

  // The one field request threads read: replaced whole, never changed.
  private volatile AliasTable table;

  Router(RouterSettings settings) {
    this.name = settings.name();
    this.arms = settings.arms();
    this.armList = List.of(arms);
    this.choices = new LongAdder[arms.length];
    for (int i = 0; i < arms.length; i++) {
      choices[i] = new LongAdder();
    }
    this.policy = new Policy(settings, t -> table = t);
    if (settings.meterRegistry() != null) {
      RouterMicrometer.bind(settings.meterRegistry(), this);
    }
    if (settings.pinned() >= 0) {
      this.background = null; // a pinned router reads nothing
    } else {
      this.background = new Background(settings, policy);
      background.start();
    }
  }

  /**
   * Starts configuring a router.
   *
   * @param name the router's name: the key its posteriors are published under
   * @return a builder with the defaults
   */
  public static RouterBuilder builder(String name) {
    return new RouterBuilder(name);
  }

  /**
   * Chooses an arm. Call it on the request thread: no lock, no allocation, no I/O. The result packs
   * the arm and the exact probability it was drawn with; read them with {@link #arm(long)} and
   * {@link #propensity(long)} (or {@link #apply}), which need no further read of the router's
   * state.
   *
   * @return the choice, packed
   */
  public long choose() {
    AliasTable t = table;
    long choice = t.pick(ThreadLocalRandom.current().nextLong());
    choices[AliasTable.arm(choice)].increment();
    if (t.fallback()) {
      fallbackChoices.increment();
    }
    return choice;
  }

  /**
   * The chosen arm's name.
   *
   * @param choice a result of {@link #choose()} on this router
   * @return the arm
   */
  public String arm(long choice) {
    return arms[AliasTable.arm(choice)];
  }

  /**
   * The chosen arm's position in {@link #arms()}.
   *
   * @param choice a result of {@link #choose()} on this router
   * @return the arm's index
   */
  public int armIndex(long choice) {
    return AliasTable.arm(choice);
  }

  /**
   * The probability with which the choice was drawn: a multiple of 2^-31, at least the arm's floor
   * (to within 2^-31), exactly the probability the table it was drawn from gives that arm.
   *
   * @param choice a result of {@link #choose()} on this router
   * @return the propensity, in (0, 1]
   */
  public double propensity(long choice) {
    return AliasTable.propensity(choice);
  }

  /**
   * Whether the choice was drawn from the fallback weights (no posterior, or a stale one).
   *
   * @param choice a result of {@link #choose()} on this router
   * @return true for a fallback choice
   */
  public boolean isFallback(long choice) {
    return (choice & AliasTable.FALLBACK_BIT) != 0;
  }

  /**
   * Records the choice on a prediction: its action is the arm, its propensity the exact probability
   * of the choice. The score stays the service's to set.
   *
   * @param choice a result of {@link #choose()} on this router
   * @param prediction the prediction served with that choice
   * @return the prediction
   */
  public Prediction apply(long choice, Prediction prediction) {
    return prediction.action(arm(choice)).propensity(propensity(choice));
  }

  /**
   * Hands the router posterior statistics that the service fetched itself (or a test made). The
   * Monte Carlo runs on the calling thread: call it from a background thread, never from a request
   * thread. Statistics that name another router, another reward kind, or numbers out of range are
   * ignored and counted, never thrown.
   *
   * @param posterior the statistics
   * @return whether they are the router's current posterior now
   */
  public boolean update(RouterPosterior posterior) {
    return policy.offer(List.of(Objects.requireNonNull(posterior, "posterior")));
  }

  /**
   * Like {@link #update(RouterPosterior)}, from a message as the joiner publishes it. Bytes that do
   * not decode are ignored and counted, never thrown.
   *
   * @param message a single-object encoded router posterior
   * @return whether it is the router's current posterior now
   */
  public boolean update(byte[] message) {
    RouterPosterior p;
    try {
      p = RouterPosterior.decode(message);
    } catch (MalformedMessageException e) {
      policy.undecodable(
          e.reason() == MalformedMessageException.Reason.UNKNOWN_FINGERPRINT
              ? Ignored.UNKNOWN_FINGERPRINT
              : Ignored.UNDECODABLE);
      return false;
    }
    return policy.offer(List.of(p));
  }

  /**
   * The router's name.
   *
   * @return the name its posteriors are published under
   */
  public String name() {
    return name;
  }

  /**
   * The arms, in the order of {@link #armIndex}.
   *
   * @return the arms' names
   */
  public List<String> arms() {
    return armList;
  }

  /**
   * What the router did and what it routes by now.
   *
   * @return a snapshot
   */
  public RouterStats stats() {
    long[] c = new long[arms.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = choices[i].sum();
    }
    return policy.stats(c, fallbackChoices.sum());
  }

  long choices(int arm) {
    return choices[arm].sum();
  }

  long fallbackChoices() {
    return fallbackChoices.sum();
  }

  Policy policy() {
    return policy;
  }

  /** The table request threads read now. */
  AliasTable table() {
    return table;
  }

  /**
   * Stops the background thread and its Kafka consumer. {@link #choose()} keeps working afterwards,
   * with the shares the router had. Idempotent.
   */
  @Override
  public void close() {
    if (background != null) {
      background.close();
    }
  }
}
