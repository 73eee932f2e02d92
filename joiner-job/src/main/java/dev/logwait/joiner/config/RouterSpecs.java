package dev.logwait.joiner.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code routers:} list of the configuration, parsed into router specs and checked against the
 * label specs, as {@link LabelSpecs} checks labels: every problem is collected, naming its key.
 */
final class RouterSpecs {
  private RouterSpecs() {}

  private static final List<String> FIELDS =
      List.of(
          "name",
          "table",
          "arm-column",
          "reward",
          "reward-kind",
          "prior",
          "half-life",
          "only-own-choices",
          "arms");

  /** Feature set names, as the schemas module accepts them. */
  private static final Pattern FEATURE_SET = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  /** No routers when the node is absent. */
  static List<RouterSpec> parse(JsonNode node, List<LabelSpec> labels, List<String> errors) {
    if (node == null || node.isNull()) {
      return new ArrayList<>();
    }
    if (!node.isArray()) {
      errors.add("routers: expected a list of routers (name, table, reward, …)");
      return new ArrayList<>();
    }
    return NamedEntries.parse(
        node,
        "routers",
        FIELDS,
        "name, table, reward",
        errors,
        (n, at, name) -> spec(n, at, name, labels));
  }

  /** One router; the first problem is thrown, naming its key. */
  private static RouterSpec spec(JsonNode n, String at, String name, List<LabelSpec> labels) {
    String table = text(n, "table", at);
    if (table == null) {
      throw new ConfigException(
          at + ".table: must name the router's training table or feature set");
    }
    String set =
        table.startsWith(RouterSpec.TRAINING_PREFIX)
            ? table.substring(RouterSpec.TRAINING_PREFIX.length())
            : table;
    if (!FEATURE_SET.matcher(set).matches()) {
      throw new ConfigException(
          at + ".table: '" + table + "' is not a feature set name or training_<feature set>");
    }
    String armColumn = n.has("arm-column") ? text(n, "arm-column", at) : "action";
    if (!RouterSpec.ARM_COLUMNS.contains(armColumn)) {
      throw new ConfigException(
          at
              + ".arm-column: '"
              + armColumn
              + "' is not one of "
              + String.join(", ", RouterSpec.ARM_COLUMNS)
              + " (the envelope columns an arm is read from, in raw_predictions and the training"
              + " table)");
    }
    String reward = text(n, "reward", at);
    if (reward == null) {
      throw new ConfigException(
          at
              + ".reward: must name the label spec whose value is the reward, one of "
              + labels.stream().map(LabelSpec::name).toList());
    }
    LabelSpec label = labels.stream().filter(l -> l.name().equals(reward)).findFirst().orElse(null);
    if (label == null) {
      throw new ConfigException(
          at
              + ".reward: '"
              + reward
              + "' is not a label spec; name one of "
              + labels.stream().map(LabelSpec::name).toList());
    }
    RewardKind kind = kind(n, at, label);
    double[] prior = prior(n, at, kind);
    Duration halfLife = null;
    if (n.has("half-life")) {
      halfLife = Durations.parse(at + ".half-life", text(n, "half-life", at));
      if (halfLife.isZero()) {
        throw new ConfigException(at + ".half-life: must be longer than zero (or left out)");
      }
    }
    boolean own = "action".equals(armColumn);
    if (n.has("only-own-choices")) {
      JsonNode o = n.get("only-own-choices");
      if (!o.isBoolean()) {
        throw new ConfigException(at + ".only-own-choices: must be true or false, was " + o);
      }
      own = o.asBoolean();
    }
    return new RouterSpec(
        name,
        RouterSpec.TRAINING_PREFIX + set,
        armColumn,
        reward,
        kind,
        prior[0],
        prior[1],
        halfLife,
        own,
        arms(n, at));
  }

  /**
   * The explicit {@code reward-kind}, else binary for an {@code exists} label whose default is null
   * or in [0, 1] (its values are then 0, 1 or missing), else numeric.
   */
  private static RewardKind kind(JsonNode n, String at, LabelSpec label) {
    Double d = label.defaultValue();
    boolean defaultInUnit = d == null || (d >= 0 && d <= 1);
    if (!n.has("reward-kind")) {
      return label.aggregation() == Aggregation.EXISTS && defaultInUnit
          ? RewardKind.BINARY
          : RewardKind.NUMERIC;
    }
    RewardKind kind = RewardKind.parse(at + ".reward-kind", text(n, "reward-kind", at));
    if (kind == RewardKind.BINARY && (label.aggregation() == Aggregation.COUNT || !defaultInUnit)) {
      throw new ConfigException(
          at
              + ".reward-kind: binary needs rewards in [0, 1], and label '"
              + label.name()
              + "' ("
              + label.aggregation().configName()
              + ", default "
              + d
              + ") can give others; use numeric");
    }
    return kind;
  }

  /** {@code prior: {alpha: a, beta: b}}, both above zero; default 1, 1; binary rewards only. */
  private static double[] prior(JsonNode n, String at, RewardKind kind) {
    JsonNode p = n.get("prior");
    if (p == null) {
      return new double[] {1, 1};
    }
    if (kind != RewardKind.BINARY) {
      throw new ConfigException(
          at + ".prior: a Beta prior applies to binary rewards only; leave it out");
    }
    if (!p.isObject()) {
      throw new ConfigException(at + ".prior: expected {alpha: <number>, beta: <number>}");
    }
    for (Iterator<String> it = p.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("alpha") && !f.equals("beta")) {
        throw new ConfigException(at + ".prior." + f + ": unknown; use alpha, beta");
      }
    }
    double[] out = new double[2];
    String[] keys = {"alpha", "beta"};
    for (int i = 0; i < 2; i++) {
      JsonNode v = p.get(keys[i]);
      if (v == null) {
        out[i] = 1;
      } else if (v.isNumber() && v.asDouble() > 0 && Double.isFinite(v.asDouble())) {
        out[i] = v.asDouble();
      } else {
        throw new ConfigException(
            at + ".prior." + keys[i] + ": must be a number above 0, was " + v);
      }
    }
    return out;
  }

  /** The fixed arms, or empty: distinct, non-blank names. */
  private static List<String> arms(JsonNode n, String at) {
    JsonNode a = n.get("arms");
    if (a == null) {
      return List.of();
    }
    if (!a.isArray() || a.isEmpty()) {
      throw new ConfigException(at + ".arms: must be a non-empty list of arm names (or left out)");
    }
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode x : a) {
      if (!x.isValueNode() || x.asText().isBlank()) {
        throw new ConfigException(at + ".arms: '" + x + "' is not an arm name");
      }
      if (!out.add(x.asText())) {
        throw new ConfigException(at + ".arms: '" + x.asText() + "' is listed twice");
      }
    }
    return List.copyOf(out);
  }

  private static String text(JsonNode n, String field, String at) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode()) {
      throw new ConfigException(at + "." + field + ": expected a value, was " + v);
    }
    return v.asText();
  }
}
