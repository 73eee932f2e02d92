package dev.logwait.testing;

import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.LogwaitSchemas;
import dev.logwait.schema.SchemaStore;
import dev.logwait.schema.SingleObjectCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/** Logged messages back into values: the single-object header names the writer schema. */
final class Decoding {
  private final SchemaStore store = SchemaStore.shipped();
  private final Set<String> labelSchemas = new java.util.HashSet<>();

  /** With the shipped label schemas and the given writer schemas (from the schemas topic). */
  Decoding(Collection<Schema> writers) {
    List<Schema> labels = new ArrayList<>(LogwaitSchemas.labelEventHistory());
    labels.add(LogwaitSchemas.labelEvent());
    labels.forEach(s -> labelSchemas.add(s.toString()));
    writers.forEach(store::add);
  }

  static boolean isMessage(byte[] value) {
    return value != null
        && value.length >= SingleObjectCodec.HEADER_LENGTH
        && value[0] == SingleObjectCodec.MAGIC_0
        && value[1] == SingleObjectCodec.MAGIC_1;
  }

  /** Adds what a message is: a prediction or a label event. */
  void decode(byte[] value, List<LoggedPrediction> predictions, List<LoggedLabel> labels) {
    GenericRecord r = SingleObjectCodec.decode(value, store);
    if (labelSchemas.contains(r.getSchema().toString())) {
      labels.add(label(r));
    } else {
      predictions.add(prediction(r));
    }
  }

  private static LoggedPrediction prediction(GenericRecord r) {
    FeatureSet fs = FeatureSet.fromWriterSchema(r.getSchema());
    GenericRecord f = (GenericRecord) r.get("features");
    Map<String, Object> features = new LinkedHashMap<>();
    // Envelope v2: the positions the service never set; their values are placeholders, shown as
    // null as the joiner's tables show them. (v1 records have no such field: all were set.)
    Set<Integer> unset = new java.util.HashSet<>();
    if (r.getSchema().getField("unset_features") != null
        && r.get("unset_features") instanceof Collection<?> positions) {
      positions.forEach(i -> unset.add(((Number) i).intValue()));
    }
    if (f != null) {
      for (Schema.Field field : f.getSchema().getFields()) {
        features.put(field.name(), unset.contains(field.pos()) ? null : plain(f.get(field.name())));
      }
    }
    return new LoggedPrediction(
        string(r.get("prediction_id")),
        string(r.get("request_id")),
        (Long) r.get("served_at"),
        string(r.get("model_name")),
        string(r.get("model_version")),
        strings(r.get("entity_keys")),
        (Double) r.get("prediction"),
        (Double) r.get("propensity"),
        string(r.get("action")),
        r.get("sample_rate") == null ? 1.0 : (Double) r.get("sample_rate"),
        fs.name(),
        fs.version(),
        features);
  }

  private static LoggedLabel label(GenericRecord r) {
    return new LoggedLabel(
        string(r.get("event_id")),
        string(r.get("label_name")),
        r.get("value") == null ? 0.0 : ((Number) r.get("value")).doubleValue(),
        (Long) r.get("occurred_at"),
        string(r.get("prediction_id")),
        strings(r.get("entity_keys")));
  }

  private static String string(Object o) {
    return o == null ? null : o.toString();
  }

  private static Map<String, String> strings(Object o) {
    Map<String, String> out = new TreeMap<>();
    if (o instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), string(v)));
    }
    return out;
  }

  /** Avro's values as plain Java: strings, numbers, booleans, lists, maps, byte arrays. */
  static Object plain(Object o) {
    if (o instanceof CharSequence s) {
      return s.toString();
    }
    if (o instanceof Collection<?> c) {
      List<Object> out = new ArrayList<>();
      c.forEach(x -> out.add(plain(x)));
      return out;
    }
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return out;
    }
    if (o instanceof ByteBuffer b) {
      byte[] out = new byte[b.remaining()];
      b.duplicate().get(out);
      return out;
    }
    if (o instanceof GenericFixed g) {
      return g.bytes().clone();
    }
    if (o instanceof GenericRecord g) {
      Map<String, Object> out = new LinkedHashMap<>();
      g.getSchema().getFields().forEach(fl -> out.put(fl.name(), plain(g.get(fl.name()))));
      return out;
    }
    return o;
  }
}
