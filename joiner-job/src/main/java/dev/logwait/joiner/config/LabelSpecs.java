package dev.logwait.joiner.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The {@code labels:} list of the configuration, parsed into label specs. */
final class LabelSpecs {
  private LabelSpecs() {}

  private static final List<String> FIELDS =
      List.of("name", "window", "aggregation", "default", "join-keys", "restate");

  static List<LabelSpec> parse(JsonNode node, List<String> errors) {
    if (node == null || !node.isArray() || node.isEmpty()) {
      errors.add("labels: declare at least one label spec (name, window, aggregation)");
      return new ArrayList<>();
    }
    return NamedEntries.parse(
        node, "labels", FIELDS, "name, window, aggregation", errors, LabelSpecs::spec);
  }

  /** One spec; the first problem is thrown, naming its key. */
  private static LabelSpec spec(JsonNode n, String at, String name) {
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
    JsonNode r = n.get("restate");
    if (r != null && !r.isBoolean()) {
      throw new ConfigException(at + ".restate: must be true or false, was " + r);
    }
    return new LabelSpec(name, window, agg, def, keys, r != null && r.asBoolean());
  }
}
