package dev.logwait.joiner.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.logwait.joiner.semantics.EventTimeGuard;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The joiner's configuration: the embedded defaults, then a YAML file, then {@code key=value}
 * overrides. Validated as a whole before any Spark session starts; each error names its key.
 */
public final class JoinerConfig {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private static final Pattern IDENT = Pattern.compile("[a-z_][a-z0-9_]{0,63}");

  private final Map<String, String> values;
  private final List<LabelSpec> labels;
  private final List<String> warnings;

  private JoinerConfig(Map<String, String> values, List<LabelSpec> labels, List<String> warnings) {
    this.values = values;
    this.labels = List.copyOf(labels);
    this.warnings = List.copyOf(warnings);
  }

  /** What the configuration sets that logwait does not know but passes on (print them). */
  public List<String> warnings() {
    return warnings;
  }

  /** Loads the defaults, then {@code file} (may be null), then the overrides. */
  public static JoinerConfig load(Path file, Map<String, String> overrides) {
    JsonNode tree = readDefaults();
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new ConfigException("--config: no such file " + file);
      }
      try {
        JsonNode user = YAML.readTree(file.toFile());
        if (user != null && !user.isNull()) {
          if (!user.isObject()) {
            throw new ConfigException(file + ": expected a YAML mapping at the top level");
          }
          JsonNode userCatalog = user.path("catalog").path("properties");
          if (userCatalog.isObject() && !userCatalog.isEmpty()) {
            // the embedded warehouse is a default for the embedded catalog only: a configured
            // catalog without a warehouse must be refused, never pointed at a local folder
            ((ObjectNode) tree.path("catalog").path("properties")).remove("warehouse");
          }
          merge((ObjectNode) tree, user);
        }
      } catch (IOException e) {
        throw new ConfigException(file + ": " + yamlProblem(e));
      }
    }
    Map<String, String> flat = new TreeMap<>();
    JsonNode labelNode = ((ObjectNode) tree).remove("labels");
    flatten("", tree, flat);
    flat.putAll(overrides);
    return validate(flat, labelNode);
  }

  /** Only the embedded defaults. */
  public static JoinerConfig defaults() {
    return load(null, Map.of());
  }

  /** A duplicate key, named, or the parser's own words. */
  private static String yamlProblem(IOException e) {
    java.util.regex.Matcher dup =
        Pattern.compile("Duplicate field '([^']*)'").matcher(String.valueOf(e.getMessage()));
    String where =
        e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
            ? " (line " + j.getLocation().getLineNr() + ")"
            : "";
    if (dup.find()) {
      return "key '" + dup.group(1) + "' is set twice in one mapping" + where + "; keep one";
    }
    return "not valid YAML (" + e.getMessage() + ")";
  }

  private static JoinerConfig validate(Map<String, String> flat, JsonNode labelNode) {
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
    checkNotBlank(values, ConfigKey.BOOTSTRAP_SERVERS, errors);
    for (ConfigKey topic :
        List.of(ConfigKey.PREDICTIONS_TOPIC, ConfigKey.LABELS_TOPIC, ConfigKey.SCHEMAS_TOPIC)) {
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
    for (ConfigKey ident : List.of(ConfigKey.CATALOG_NAME, ConfigKey.NAMESPACE)) {
      if (!IDENT.matcher(values.get(ident.key)).matches()) {
        errors.add(
            ident.key
                + ": '"
                + values.get(ident.key)
                + "' must be lower-case letters, digits and '_'");
      }
    }
    for (ConfigKey d : List.of(ConfigKey.ALLOWED_LATENESS, ConfigKey.MAX_EVENT_TIME_SKEW)) {
      try {
        Durations.parse(d.key, values.get(d.key));
      } catch (ConfigException e) {
        errors.add(e.getMessage());
      }
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
    List<LabelSpec> labels = parseLabels(labelNode, errors);
    ConfigChecks.labelColumns(labels, errors);
    ConfigChecks.catalog(prefixed(values, ConfigKey.CATALOG_PROPERTIES), errors, warnings);
    ConfigChecks.kafka(prefixed(values, ConfigKey.KAFKA_PROPERTIES), warnings);
    if (!errors.isEmpty()) {
      throw new ConfigException("Invalid configuration:\n  - " + String.join("\n  - ", errors));
    }
    return new JoinerConfig(values, labels, warnings);
  }

  private static List<LabelSpec> parseLabels(JsonNode node, List<String> errors) {
    List<LabelSpec> specs = new ArrayList<>();
    if (node == null || !node.isArray() || node.isEmpty()) {
      errors.add("labels: declare at least one label spec (name, window, aggregation)");
      return specs;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode n = node.get(i);
      String at = "labels[" + i + "]";
      if (!n.isObject()) {
        errors.add(at + ": expected a mapping with name, window, aggregation");
        continue;
      }
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!Set.of("name", "window", "aggregation", "default", "join-keys").contains(f)) {
          errors.add(at + "." + f + ": unknown; use name, window, aggregation, default, join-keys");
        }
      }
      String name = n.path("name").asText(null);
      if (name == null || !IDENT.matcher(name).matches()) {
        errors.add(at + ".name: '" + name + "' must be lower-case letters, digits and '_'");
        continue;
      }
      if (!names.add(name)) {
        errors.add(at + ".name: '" + name + "' is declared twice");
      }
      try {
        Duration window = Durations.parse(at + ".window", n.path("window").asText(null));
        if (window.isZero()) {
          throw new ConfigException(at + ".window: must be longer than zero");
        }
        Aggregation agg =
            Aggregation.parse(at + ".aggregation", n.path("aggregation").asText("exists"));
        JsonNode d = n.get("default");
        Double def;
        if (d == null) {
          def = agg == Aggregation.EXISTS || agg == Aggregation.COUNT ? 0.0 : null;
        } else if (d.isNull()) {
          def = null;
        } else if (d.isNumber()) {
          def = d.asDouble();
        } else {
          throw new ConfigException(at + ".default: must be a number or null, was " + d);
        }
        List<String> keys = new ArrayList<>();
        JsonNode k = n.get("join-keys");
        if (k == null) {
          keys.add(LabelSpec.PREDICTION_ID);
        } else if (k.isArray() && !k.isEmpty()) {
          k.forEach(x -> keys.add(x.asText()));
        } else {
          throw new ConfigException(at + ".join-keys: must be a non-empty list");
        }
        if (keys.contains(LabelSpec.PREDICTION_ID) && keys.size() > 1) {
          throw new ConfigException(
              at + ".join-keys: prediction_id cannot be combined with entity keys");
        }
        specs.add(new LabelSpec(name, window, agg, def, keys));
      } catch (ConfigException e) {
        errors.add(e.getMessage());
      }
    }
    return specs;
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
    return String.join(", ", keys);
  }

  private static JsonNode readDefaults() {
    try (InputStream in = JoinerConfig.class.getResourceAsStream("/logwait-joiner-defaults.yaml")) {
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read embedded defaults", e);
    }
  }

  private static void merge(ObjectNode base, JsonNode override) {
    override
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode existing = base.get(e.getKey());
              if (existing instanceof ObjectNode && e.getValue().isObject()) {
                merge((ObjectNode) existing, e.getValue());
              } else {
                base.set(e.getKey(), e.getValue());
              }
            });
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> flatten(prefix + e.getKey() + ".", e.getValue(), out));
    } else if (!node.isNull()) {
      out.put(prefix.substring(0, prefix.length() - 1), node.asText());
    }
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

  public Duration allowedLateness() {
    return Durations.parse(ConfigKey.ALLOWED_LATENESS.key, get(ConfigKey.ALLOWED_LATENESS));
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
   * credential) are replaced by a marker first: rotating a password is not a configuration change,
   * and no unsalted hash of a secret is stored.
   */
  public String hash() {
    Map<String, String> shown = new TreeMap<>();
    values.forEach((k, v) -> shown.put(k, ConfigChecks.isSecret(k) ? "<secret>" : v));
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(shown.toString().getBytes(StandardCharsets.UTF_8));
      md.update(labels.toString().getBytes(StandardCharsets.UTF_8));
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
