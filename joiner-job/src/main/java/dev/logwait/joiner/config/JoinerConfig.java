package dev.logwait.joiner.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logwait.joiner.semantics.EventTimeGuard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The joiner's configuration: the embedded defaults, then a YAML file, then {@code key=value}
 * overrides. Validated as a whole before any Spark session starts; each error names its key.
 */
public final class JoinerConfig {
  static final Pattern IDENT = Pattern.compile("[a-z_][a-z0-9_]{0,63}");

  private final Map<String, String> values;
  private final List<LabelSpec> labels;
  private final List<RouterSpec> routers;
  private final List<String> warnings;

  private JoinerConfig(
      Map<String, String> values,
      List<LabelSpec> labels,
      List<RouterSpec> routers,
      List<String> warnings) {
    this.values = values;
    this.labels = List.copyOf(labels);
    this.routers = List.copyOf(routers);
    this.warnings = List.copyOf(warnings);
  }

  /** What the configuration sets that logwait does not know but passes on (print them). */
  public List<String> warnings() {
    return warnings;
  }

  /** Loads the defaults, then {@code file} (may be null), then the overrides. */
  public static JoinerConfig load(Path file, Map<String, String> overrides) {
    ConfigFiles.Tree tree = ConfigFiles.read(file);
    Map<String, String> flat = new TreeMap<>(tree.flat());
    flat.putAll(overrides);
    return validate(flat, tree.labels(), tree.routers());
  }

  /** Only the embedded defaults. */
  public static JoinerConfig defaults() {
    return load(null, Map.of());
  }

  private static JoinerConfig validate(
      Map<String, String> flat, JsonNode labelNode, JsonNode routerNode) {
    List<String> errors = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, String> values = new LinkedHashMap<>();
    for (ConfigKey k : ConfigKey.values()) {
      values.put(k.key, k.defaultValue);
    }
    for (Map.Entry<String, String> e : flat.entrySet()) {
      String key = e.getKey();
      if (ConfigKey.of(key) == null && ConfigKey.PASS_THROUGH.stream().noneMatch(key::startsWith)) {
        errors.add("unknown key '" + key + "'; known keys: " + knownKeys());
        continue;
      }
      values.put(key, e.getValue());
    }
    checkValues(values, errors);
    LoopChecks.check(values, errors);
    List<LabelSpec> labels = LabelSpecs.parse(labelNode, errors);
    ConfigChecks.labelColumns(labels, errors);
    List<RouterSpec> routers = RouterSpecs.parse(routerNode, labels, errors);
    ConfigChecks.catalog(prefixed(values, ConfigKey.CATALOG_PROPERTIES), errors, warnings);
    ConfigChecks.kafka(prefixed(values, ConfigKey.KAFKA_PROPERTIES), warnings);
    if (!errors.isEmpty()) {
      throw new ConfigException("Invalid configuration:\n  - " + String.join("\n  - ", errors));
    }
    return new JoinerConfig(values, labels, routers, warnings);
  }

  /** Each declared key's value: topic names, identifiers, durations, instants, numbers. */
  private static void checkValues(Map<String, String> values, List<String> errors) {
    checkNotBlank(values, ConfigKey.BOOTSTRAP_SERVERS, errors);
    for (ConfigKey topic :
        List.of(
            ConfigKey.PREDICTIONS_TOPIC,
            ConfigKey.LABELS_TOPIC,
            ConfigKey.SCHEMAS_TOPIC,
            ConfigKey.POSTERIORS_TOPIC)) {
      if (!values.get(topic.key).matches("[a-zA-Z0-9._-]{1,249}")) {
        errors.add(topic.key + ": '" + values.get(topic.key) + "' is not a Kafka topic name");
      }
    }
    if (values
        .get(ConfigKey.PREDICTIONS_TOPIC.key)
        .equals(values.get(ConfigKey.LABELS_TOPIC.key))) {
      errors.add(
          "Cannot set both "
              + ConfigKey.PREDICTIONS_TOPIC.key
              + " and "
              + ConfigKey.LABELS_TOPIC.key
              + " to the same topic");
    }
    for (ConfigKey other :
        List.of(ConfigKey.PREDICTIONS_TOPIC, ConfigKey.LABELS_TOPIC, ConfigKey.SCHEMAS_TOPIC)) {
      if (values.get(ConfigKey.POSTERIORS_TOPIC.key).equals(values.get(other.key))) {
        errors.add(
            ConfigKey.POSTERIORS_TOPIC.key
                + ": '"
                + values.get(other.key)
                + "' is also "
                + other.key
                + "; the posteriors need a compacted topic of their own");
      }
    }
    for (ConfigKey ident : List.of(ConfigKey.CATALOG_NAME, ConfigKey.NAMESPACE)) {
      if (!IDENT.matcher(values.get(ident.key)).matches()) {
        errors.add(
            ident.key
                + ": '"
                + values.get(ident.key)
                + "' must be lower-case letters, digits and '_'");
      }
    }
    for (ConfigKey k : List.of(ConfigKey.LABEL_PARTITIONS_IDLE_AFTER, ConfigKey.DISCARD_AFTER)) {
      checkDurationOrOff(values, k, errors);
    }
    for (ConfigKey d : List.of(ConfigKey.ALLOWED_LATENESS, ConfigKey.MAX_EVENT_TIME_SKEW)) {
      try {
        Durations.parse(d.key, values.get(d.key));
      } catch (ConfigException e) {
        errors.add(e.getMessage());
      }
    }
    String restate = values.get(ConfigKey.RESTATE_LATE_LABELS.key);
    if (!List.of("true", "false").contains(restate)) {
      errors.add(
          ConfigKey.RESTATE_LATE_LABELS.key + ": must be true or false, was '" + restate + "'");
    }
    try {
      Instant.parse(values.get(ConfigKey.MIN_EVENT_TIME.key));
    } catch (DateTimeParseException e) {
      errors.add(
          ConfigKey.MIN_EVENT_TIME.key
              + ": '"
              + values.get(ConfigKey.MIN_EVENT_TIME.key)
              + "' is not an ISO-8601 instant; write e.g. 2000-01-01T00:00:00Z");
    }
    try {
      int n = Integer.parseInt(values.get(ConfigKey.SHUFFLE_PARTITIONS.key));
      if (n < 1) {
        errors.add(ConfigKey.SHUFFLE_PARTITIONS.key + ": must be >= 1, was " + n);
      }
    } catch (NumberFormatException e) {
      errors.add(ConfigKey.SHUFFLE_PARTITIONS.key + ": must be a whole number");
    }
  }

  private static void checkDurationOrOff(
      Map<String, String> values, ConfigKey k, List<String> errors) {
    String v = values.get(k.key);
    if (!"off".equals(v)) {
      try {
        if (Durations.parse(k.key, v).isZero()) {
          errors.add(k.key + ": must be longer than zero, or off");
        }
      } catch (ConfigException e) {
        errors.add(e.getMessage() + " (or off)");
      }
    }
  }

  private static void checkNotBlank(Map<String, String> values, ConfigKey k, List<String> errors) {
    if (values.get(k.key) == null || values.get(k.key).isBlank()) {
      errors.add(k.key + ": must be set");
    }
  }

  private static String knownKeys() {
    List<String> keys = new ArrayList<>();
    for (ConfigKey k : ConfigKey.values()) {
      keys.add(k.key);
    }
    ConfigKey.PASS_THROUGH.forEach(p -> keys.add(p + "*"));
    keys.add("labels");
    keys.add("routers");
    return String.join(", ", keys);
  }

  public String get(ConfigKey key) {
    return values.get(key.key);
  }

  /** Every pass-through entry under a prefix, with the prefix removed. */
  public Map<String, String> withPrefix(String prefix) {
    return prefixed(values, prefix);
  }

  private static Map<String, String> prefixed(Map<String, String> values, String prefix) {
    Map<String, String> out = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  public List<LabelSpec> labels() {
    return labels;
  }

  /** The bandit routers whose posteriors the joiner keeps and publishes; empty when none. */
  public List<RouterSpec> routers() {
    return routers;
  }

  /** The specs whose late events rewrite training rows: {@code restate: true}, or all of them. */
  public List<LabelSpec> restatedLabels() {
    boolean all = Boolean.parseBoolean(get(ConfigKey.RESTATE_LATE_LABELS));
    return labels.stream().filter(s -> all || s.restate()).toList();
  }

  public Duration allowedLateness() {
    return Durations.parse(ConfigKey.ALLOWED_LATENESS.key, get(ConfigKey.ALLOWED_LATENESS));
  }

  /** The quiet time after which a labels partition is idle, or null (never). */
  public Duration labelPartitionsIdleAfter() {
    String v = get(ConfigKey.LABEL_PARTITIONS_IDLE_AFTER);
    return "off".equals(v) ? null : Durations.parse(ConfigKey.LABEL_PARTITIONS_IDLE_AFTER.key, v);
  }

  /** The discard policy's retention, or null (off: only the {@code discard} command deletes). */
  public Duration discardAfter() {
    String v = get(ConfigKey.DISCARD_AFTER);
    return "off".equals(v) ? null : Durations.parse(ConfigKey.DISCARD_AFTER.key, v);
  }

  /** Which event times are plausible enough to ingest. */
  public EventTimeGuard eventTimeGuard() {
    return new EventTimeGuard(
        Durations.parse(ConfigKey.MAX_EVENT_TIME_SKEW.key, get(ConfigKey.MAX_EVENT_TIME_SKEW)),
        Instant.parse(get(ConfigKey.MIN_EVENT_TIME)));
  }

  /** The longest label window: a prediction is finalized when it has closed. */
  public Duration longestWindow() {
    return labels.stream().map(LabelSpec::window).max(Duration::compareTo).orElseThrow();
  }

  /** {@code catalog.namespace.table}. */
  public String table(String name) {
    return get(ConfigKey.CATALOG_NAME) + "." + get(ConfigKey.NAMESPACE) + "." + name;
  }

  /** Kafka client settings for the driver's own consumers and admin client. */
  public Map<String, Object> kafkaClientProps() {
    Map<String, Object> props = new TreeMap<>(withPrefix(ConfigKey.KAFKA_PROPERTIES));
    props.put("bootstrap.servers", get(ConfigKey.BOOTSTRAP_SERVERS));
    return props;
  }

  /**
   * A stable hash of everything that shapes the output (recorded in {@code runs}). Secret values
   * (Kafka's password-typed settings, keys naming a password, secret, JAAS config, token or
   * credential) are replaced by a marker first, and the retraining trigger's and lineage's keys are
   * left out: rotating a password is not a configuration change, and no unsalted hash of a secret
   * is stored.
   */
  public String hash() {
    Map<String, String> shown = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          // the trigger's thresholds and lineage settings shape no table (and a hash that
          // stays the same across an upgrade keeps a backfill resumable)
          if (LoopChecks.NOT_HASHED.stream().noneMatch(k::startsWith)) {
            shown.put(k, ConfigChecks.isSecret(k) ? "<secret>" : v);
          }
        });
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(shown.toString().getBytes(StandardCharsets.UTF_8));
      md.update(labels.toString().getBytes(StandardCharsets.UTF_8));
      if (!routers.isEmpty()) { // a configuration without routers keeps the hash it had
        md.update(routers.toString().getBytes(StandardCharsets.UTF_8));
      }
      StringBuilder sb = new StringBuilder();
      for (byte b : md.digest()) {
        sb.append(String.format("%02x", b));
      }
      return sb.substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
