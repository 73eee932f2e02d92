package dev.logwait.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.logwait.logger.Label;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureField;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.FeatureType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON shaped like the Avro records, to and from the logger's types. Every problem is an {@link
 * IllegalArgumentException} whose message names the field.
 */
final class JsonRecords {
  private JsonRecords() {}

  /** {@code {"name": "ranker", "version": 1, "fields": [{"name": "x", "type": "double"}]}}. */
  static FeatureSet featureSet(JsonNode n) {
    FeatureSet.Builder b = FeatureSet.builder(text(n, "name"), n.path("version").asInt(0));
    JsonNode fields = n.get("fields");
    if (fields == null || !fields.isArray()) {
      throw new IllegalArgumentException("fields: expected a list of {name, type}");
    }
    for (JsonNode f : fields) {
      String type = text(f, "type").toUpperCase(java.util.Locale.ROOT);
      try {
        b.add(text(f, "name"), FeatureType.valueOf(type));
      } catch (IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("No enum")) {
          throw new IllegalArgumentException(
              "fields: type '"
                  + type.toLowerCase(java.util.Locale.ROOT)
                  + "' is not one of double,"
                  + " float, long, int, boolean, string, float_vector, double_vector, sparse");
        }
        throw e;
      }
    }
    return b.build();
  }

  /** Fills a prediction from a JSON line; {@code sets} maps "name/version" to feature sets. */
  static Prediction prediction(PredictionLogger logger, Map<String, FeatureSet> sets, JsonNode n) {
    String key = text(n, "feature_set") + "/" + n.path("feature_set_version").asInt(0);
    FeatureSet fs = sets.get(key);
    if (fs == null) {
      throw new IllegalArgumentException(
          "feature_set: "
              + key
              + " was not declared (pass --feature-set FILE.json); known: "
              + sets.keySet());
    }
    Prediction p = logger.prediction(fs, text(n, "model_name"), text(n, "model_version"));
    if (n.hasNonNull("prediction_id")) {
      p.predictionId(n.get("prediction_id").asText());
    }
    if (n.hasNonNull("request_id")) {
      p.requestId(n.get("request_id").asText());
    }
    p.servedAtMicros(micros(n, "served_at"));
    p.score(number(n, "prediction"));
    if (n.hasNonNull("propensity")) {
      p.propensity(number(n, "propensity"));
    }
    if (n.hasNonNull("action")) {
      p.action(n.get("action").asText());
    }
    if (n.hasNonNull("sample_rate")) {
      p.recordedSampleRate(number(n, "sample_rate"));
    }
    entityKeys(n).forEach(p::entity);
    JsonNode features = n.path("features");
    for (Iterator<String> it = features.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      FeatureField f = fs.field(name);
      if (f == null) {
        throw new IllegalArgumentException("features." + name + ": not a feature of " + fs);
      }
      setFeature(p, f, features.get(name));
    }
    return p;
  }

  static Label label(JsonNode n) {
    String pid = n.hasNonNull("prediction_id") ? n.get("prediction_id").asText() : null;
    String eventId =
        n.hasNonNull("event_id")
            ? n.get("event_id").asText()
            : java.util.UUID.randomUUID().toString();
    return new Label(
        eventId,
        text(n, "label_name"),
        number(n, "value"),
        micros(n, "occurred_at"),
        pid,
        entityKeys(n));
  }

  private static void setFeature(Prediction p, FeatureField f, JsonNode v) {
    String at = "features." + f.name();
    switch (f.type()) {
      case DOUBLE:
        p.set(f.index(), finite(v, at));
        break;
      case FLOAT:
        p.set(f.index(), (float) fitsFloat(v, at));
        break;
      case LONG:
        require(v.isIntegralNumber(), at, "a whole number");
        require(v.canConvertToLong(), at, "a whole number that fits a long, not " + v);
        p.set(f.index(), v.asLong());
        break;
      case INT:
        require(v.isIntegralNumber(), at, "a whole number");
        require(v.canConvertToInt(), at, "a whole number that fits an int, not " + v);
        p.set(f.index(), v.asInt());
        break;
      case BOOLEAN:
        require(v.isBoolean(), at, "true or false");
        p.set(f.index(), v.asBoolean());
        break;
      case STRING:
        require(v.isTextual(), at, "a string");
        p.set(f.index(), v.asText());
        break;
      case FLOAT_VECTOR:
        require(v.isArray(), at, "a list of numbers");
        float[] fv = new float[v.size()];
        for (int i = 0; i < fv.length; i++) {
          fv[i] = (float) fitsFloat(v.get(i), at + "[" + i + "]");
        }
        p.set(f.index(), fv);
        break;
      case DOUBLE_VECTOR:
        require(v.isArray(), at, "a list of numbers");
        double[] dv = new double[v.size()];
        for (int i = 0; i < dv.length; i++) {
          dv[i] = finite(v.get(i), at + "[" + i + "]");
        }
        p.set(f.index(), dv);
        break;
      default:
        require(v.isObject(), at, "an object of numbers");
        Map<String, Double> m = new HashMap<>();
        v.properties().forEach(e -> m.put(e.getKey(), finite(e.getValue(), at + "." + e.getKey())));
        p.set(f.index(), m);
    }
  }

  private static Map<String, String> entityKeys(JsonNode n) {
    Map<String, String> out = new HashMap<>();
    JsonNode keys = n.get("entity_keys");
    if (keys != null && !keys.isNull()) {
      require(keys.isObject(), "entity_keys", "an object of strings");
      keys.properties()
          .forEach(
              e -> {
                JsonNode v = e.getValue();
                require(
                    v.isTextual() || v.isIntegralNumber(),
                    "entity_keys." + e.getKey(),
                    "a string (or a whole number), not " + v);
                out.put(e.getKey(), v.asText());
              });
    }
    return out;
  }

  private static long micros(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException(field + ": missing");
    }
    if (v.isIntegralNumber()) {
      require(v.canConvertToLong(), field, "epoch microseconds that fit a long, not " + v);
      return v.asLong();
    }
    try {
      Instant t = Instant.parse(v.asText());
      return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          field + ": '" + v.asText() + "' is neither epoch microseconds nor an ISO-8601 instant");
    }
  }

  private static double number(JsonNode n, String field) {
    JsonNode v = n.get(field);
    require(v != null, field, "a number");
    return finite(v, field);
  }

  /** A number a double holds: not 1e400 (which JSON parsers turn into infinity). */
  private static double finite(JsonNode v, String at) {
    require(v != null && v.isNumber(), at, "a number");
    double d = v.asDouble();
    require(Double.isFinite(d), at, "a number within a double's range, not " + v);
    return d;
  }

  private static double fitsFloat(JsonNode v, String at) {
    double d = finite(v, at);
    require(Math.abs(d) <= Float.MAX_VALUE, at, "a number within a float's range, not " + v);
    return d;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    require(v != null && v.isTextual() && !v.asText().isEmpty(), field, "a non-empty string");
    return v.asText();
  }

  private static void require(boolean ok, String field, String what) {
    if (!ok) {
      throw new IllegalArgumentException(field + ": expected " + what);
    }
  }
}
