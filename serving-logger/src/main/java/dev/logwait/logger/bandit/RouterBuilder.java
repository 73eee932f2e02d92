package dev.logwait.logger.bandit;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Builds a {@link Router}; every setter validates its argument and names it in its message. */
public final class RouterBuilder {
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final Set<String> FIXED_CONSUMER_PROPERTIES =
      Set.of(
          ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
          ConsumerConfig.GROUP_ID_CONFIG,
          ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);

  private final String name;
  private String[] arms;
  private RewardKind rewardKind = RewardKind.BINARY;
  private Double floor;
  private final Map<String, Double> armFloors = new LinkedHashMap<>();
  private Map<String, Double> fallbackWeights;
  private Duration maxPosteriorAge = Router.DEFAULT_MAX_POSTERIOR_AGE;
  private String bootstrapServers;
  private String topic = Router.DEFAULT_TOPIC;
  private final Map<String, Object> consumerOverrides = new HashMap<>();
  private int monteCarloDraws = Router.DEFAULT_MONTE_CARLO_DRAWS;
  private Supplier<RandomGenerator> random = SplittableRandom::new;
  private Clock clock = Clock.systemUTC();
  private Duration tick = Router.DEFAULT_TICK;
  private String pinned;
  private Object meterRegistry;

  RouterBuilder(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("router name must not be blank");
    }
    this.name = name;
  }

  /**
   * The arms, in order. Required. Arms are added and removed here: a posterior's statistics for an
   * arm not named are left out; an arm named without statistics gets the prior.
   *
   * @param arms 1 to {@value Router#MAX_ARMS} distinct, non-blank names
   * @return this builder
   */
  public RouterBuilder arms(String... arms) {
    Objects.requireNonNull(arms, "arms");
    return arms(Arrays.asList(arms));
  }

  /**
   * The arms, in order; see {@link #arms(String...)}.
   *
   * @param arms 1 to {@value Router#MAX_ARMS} distinct, non-blank names
   * @return this builder
   */
  public RouterBuilder arms(List<String> arms) {
    Objects.requireNonNull(arms, "arms");
    if (arms.isEmpty() || arms.size() > Router.MAX_ARMS) {
      throw new IllegalArgumentException(
          "arms must name 1 to " + Router.MAX_ARMS + " arms, was " + arms.size());
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String a : arms) {
      if (a == null || a.isBlank()) {
        throw new IllegalArgumentException("arm names must not be blank: " + arms);
      }
      if (!seen.add(a)) {
        throw new IllegalArgumentException("arm " + a + " is named twice: " + arms);
      }
    }
    this.arms = seen.toArray(new String[0]);
    return this;
  }

  /**
   * The reward the joiner's statistics are about; posteriors of the other kind are ignored and
   * counted. Default {@link RewardKind#BINARY}.
   *
   * @param kind BINARY or NUMERIC
   * @return this builder
   */
  public RouterBuilder rewardKind(RewardKind kind) {
    this.rewardKind = Objects.requireNonNull(kind, "rewardKind");
    return this;
  }

  /**
   * Every arm's minimum share of the traffic (arms with their own {@link #floor(String, double)}
   * keep theirs): no arm starves, and no propensity falls below it. Default {@value
   * Router#DEFAULT_TOTAL_FLOOR} split equally over the arms.
   *
   * @param share at least {@value Router#MIN_FLOOR}; all floors together below 1
   * @return this builder
   */
  public RouterBuilder floor(double share) {
    this.floor = checkFloor("floor", share);
    return this;
  }

  /**
   * One arm's minimum share of the traffic.
   *
   * @param arm one of the arms
   * @param share at least {@value Router#MIN_FLOOR}; all floors together below 1
   * @return this builder
   */
  public RouterBuilder floor(String arm, double share) {
    Objects.requireNonNull(arm, "arm");
    armFloors.put(arm, checkFloor("floor(" + arm + ")", share));
    return this;
  }

  /**
   * The weights the router chooses by while it has no posterior, or only one older than {@link
   * #maxPosteriorAge} (with the floors mixed in, as for a posterior). Default: equal. Arms not
   * named weigh 0 (and get their floor).
   *
   * @param weights non-negative weights by arm, at least one positive
   * @return this builder
   */
  public RouterBuilder fallbackWeights(Map<String, Double> weights) {
    Objects.requireNonNull(weights, "fallbackWeights");
    double sum = 0;
    for (Map.Entry<String, Double> e : weights.entrySet()) {
      Double w = e.getValue();
      if (w == null || !(w >= 0) || w.isInfinite()) {
        throw new IllegalArgumentException(
            "fallbackWeights(" + e.getKey() + ") must be finite and >= 0, was " + w);
      }
      sum += w;
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException(
          "fallbackWeights must give at least one arm a positive weight, were " + weights);
    }
    this.fallbackWeights = new LinkedHashMap<>(weights);
    return this;
  }

  /**
   * How old (since the joiner published it) the newest posterior may be before the router goes back
   * to its fallback weights, counted. Default 1 hour; set it above the joiner's publication
   * interval.
   *
   * @param age positive
   * @return this builder
   */
  public RouterBuilder maxPosteriorAge(Duration age) {
    if (age == null || age.isNegative() || age.isZero()) {
      throw new IllegalArgumentException("maxPosteriorAge must be positive, was " + age);
    }
    this.maxPosteriorAge = age;
    return this;
  }

  /**
   * Kafka bootstrap servers of the posterior topic. Without them the router reads no topic and
   * takes posteriors only through {@link Router#update}.
   *
   * @param servers {@code host:port[,host:port…]}
   * @return this builder
   */
  public RouterBuilder bootstrapServers(String servers) {
    if (servers == null || servers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers must be host:port[,host:port...]");
    }
    this.bootstrapServers = servers.trim();
    return this;
  }

  /**
   * The compacted topic the joiner publishes posteriors to; default {@value Router#DEFAULT_TOPIC}.
   *
   * @param topic a Kafka topic name
   * @return this builder
   */
  public RouterBuilder topic(String topic) {
    if (topic == null
        || !TOPIC.matcher(topic).matches()
        || topic.equals(".")
        || topic.equals("..")) {
      throw new IllegalArgumentException("topic '" + topic + "' is not a valid Kafka topic name");
    }
    this.topic = topic;
    return this;
  }

  /**
   * Any Kafka consumer property of the reader ({@code security.protocol}, {@code sasl.jaas.config},
   * …), applied over logwait's. The deserializers, {@code group.id} and {@code enable.auto.commit}
   * are fixed: the reader assigns every partition and commits nothing.
   *
   * @param key the consumer property
   * @param value its value (not null)
   * @return this builder
   */
  public RouterBuilder consumerProperty(String key, Object value) {
    Objects.requireNonNull(key, "consumer property key");
    if (FIXED_CONSUMER_PROPERTIES.contains(key)) {
      throw new IllegalArgumentException(
          "consumer property "
              + key
              + " is fixed by logwait (byte deserializers, no group, no commits) and cannot be"
              + " overridden");
    }
    if (value == null) {
      throw new IllegalArgumentException("consumer property " + key + " has no value");
    }
    consumerOverrides.put(key, value);
    return this;
  }

  /**
   * Rounds of the Monte Carlo that estimates each arm's probability of being best; default {@value
   * Router#DEFAULT_MONTE_CARLO_DRAWS}. Its error does not bias the logged propensities: they are
   * the probabilities the router draws with, whatever the estimate.
   *
   * @param draws between 100 and 10,000,000
   * @return this builder
   */
  public RouterBuilder monteCarloDraws(int draws) {
    if (draws < 100 || draws > 10_000_000) {
      throw new IllegalArgumentException(
          "monteCarloDraws must be between 100 and 10000000, was " + draws);
    }
    this.monteCarloDraws = draws;
    return this;
  }

  /**
   * Seeds the Monte Carlo's random numbers, so that a posterior gives the same shares every time
   * (tests). The request thread's draws stay {@link ThreadLocalRandom}'s.
   *
   * @param seed any value
   * @return this builder
   */
  public RouterBuilder seed(long seed) {
    this.random = () -> new SplittableRandom(seed);
    return this;
  }

  /**
   * Where the router reads the time that posteriors' ages are measured against; for tests.
   *
   * @param clock the clock
   * @return this builder
   */
  public RouterBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Where the router registers its meters (Micrometer): {@code meters(RouterMeters.of(registry))}.
   *
   * @param meters the destination, or null for none
   * @return this builder
   */
  public RouterBuilder meters(RouterMeters meters) {
    this.meterRegistry = meters == null ? null : meters.registry();
    return this;
  }

  /**
   * Makes the router always choose this arm, with propensity 1: for tests (logwait-testing's {@code
   * Routers.pinned}) and for an operator who must take the others out of service now. A pinned
   * router reads no posterior topic and starts no thread; posteriors given to {@link Router#update}
   * are counted and not used.
   *
   * @param arm one of the arms
   * @return this builder
   */
  public RouterBuilder pin(String arm) {
    this.pinned = Objects.requireNonNull(arm, "pinned arm");
    return this;
  }

  /** How often the background thread polls and checks the posterior's age (tests). */
  RouterBuilder tick(Duration tick) {
    this.tick = Objects.requireNonNull(tick, "tick");
    return this;
  }

  /**
   * Builds the router and starts its background thread, which reads the posterior topic when {@link
   * #bootstrapServers} are set.
   *
   * @return the router, choosing by its fallback weights until a posterior arrives
   * @throws IllegalArgumentException naming the setting that is missing or inconsistent
   */
  public Router build() {
    return new Router(settings());
  }

  RouterSettings settings() {
    if (arms == null) {
      throw new IllegalArgumentException(
          "router " + name + " has no arms: call arms(\"a\", \"b\", ...)");
    }
    int n = arms.length;
    List<String> armNames = List.of(arms);
    double[] floors = new double[n];
    double each = floor != null ? floor : Router.DEFAULT_TOTAL_FLOOR / n;
    Arrays.fill(floors, each);
    for (Map.Entry<String, Double> e : armFloors.entrySet()) {
      floors[index(armNames, e.getKey(), "floor")] = e.getValue();
    }
    double floorSum = 0;
    for (double f : floors) {
      floorSum += f;
    }
    if (!(floorSum < 1.0)) {
      throw new IllegalArgumentException(
          "the floors of router "
              + name
              + " sum to "
              + floorSum
              + "; they must leave room for the posterior (sum below 1)");
    }
    double[] fallback = new double[n];
    if (fallbackWeights == null) {
      Arrays.fill(fallback, 1.0);
    } else {
      for (Map.Entry<String, Double> e : fallbackWeights.entrySet()) {
        fallback[index(armNames, e.getKey(), "fallbackWeights")] = e.getValue();
      }
    }
    int pin = pinned == null ? -1 : index(armNames, pinned, "pin");
    Map<String, Object> props = Map.of();
    if (bootstrapServers != null && pin < 0) {
      props = consumerProps();
    }
    return new RouterSettings(
        name,
        arms.clone(),
        rewardKind,
        floors,
        fallback,
        maxPosteriorAge,
        pin < 0 ? bootstrapServers : null,
        topic,
        props,
        monteCarloDraws,
        random,
        clock,
        tick,
        pin,
        meterRegistry);
  }

  private Map<String, Object> consumerProps() {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "logwait-router-" + name);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // A router must never create the joiner's topic (with the broker's defaults, uncompacted).
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.putAll(consumerOverrides);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    try {
      new ConsumerConfig(props); // Kafka's own validation of every key and value
    } catch (ConfigException e) {
      throw new IllegalArgumentException("Invalid consumer property: " + e.getMessage(), e);
    }
    return Map.copyOf(props);
  }

  private int index(List<String> armNames, String arm, String setting) {
    int i = armNames.indexOf(arm);
    if (i < 0) {
      throw new IllegalArgumentException(
          setting + " names arm " + arm + ", which router " + name + " does not have: " + armNames);
    }
    return i;
  }

  private static double checkFloor(String setting, double share) {
    if (!(share >= Router.MIN_FLOOR && share < 1.0)) {
      throw new IllegalArgumentException(
          setting + " must be in [" + Router.MIN_FLOOR + ", 1), was " + share);
    }
    return share;
  }
}
