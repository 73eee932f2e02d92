package dev.logwait.bench;

import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.LogwaitSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** The feature sets the benchmarks log, and the map-based schema teams write without logwait. */
final class Features {
  private Features() {}

  /** {@code n} doubles, or 256 floats in one embedding when {@code embedding}. */
  static FeatureSet set(int n, boolean embedding) {
    return embedding
        ? FeatureSet.builder("emb256", 1).addFloatVector("embedding").build()
        : FeatureSet.builder("d" + n, 1).addDoubles("f", n).build();
  }

  /** A record of {@code schema} with the envelope's fields as every benchmark sends them. */
  static GenericRecord envelope(Schema schema, String predictionId, long servedAtMicros) {
    GenericRecord r = new GenericData.Record(schema);
    r.put("prediction_id", predictionId);
    r.put("served_at", servedAtMicros);
    r.put("model_name", "bench-model");
    r.put("model_version", "1");
    r.put("entity_keys", Map.of());
    r.put("prediction", 0.5);
    r.put("sample_rate", 1.0);
    return r;
  }

  static String[] names(int n) {
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = "f" + i;
    }
    return names;
  }

  /**
   * What a team writes without logwait: the envelope's fields, with the features in a {@code
   * map<string,double>} (names travel in every message).
   */
  static Schema mapSchema() {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : LogwaitSchemas.predictionEnvelope().getFields()) {
      if (!f.name().equals(LogwaitSchemas.FEATURES_FIELD)) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    fields.add(
        new Schema.Field(
            "features", Schema.createMap(Schema.create(Schema.Type.DOUBLE)), null, (Object) null));
    return Schema.createRecord("PredictionWithMap", null, "bench", false, fields);
  }
}
