package dev.logwait.logger;

import dev.logwait.logger.internal.RecordWriter;
import dev.logwait.schema.FeatureField;
import dev.logwait.schema.FeatureSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;

/**
 * Writes a prediction straight from its primitive storage in the envelope's field order, without a
 * {@code GenericRecord}. The round-trip tests decode its output with Avro's own reader.
 */
final class PredictionWriter implements RecordWriter<Prediction> {
  @Override
  public Schema schema(Prediction p) {
    return p.featureSet.writerSchema();
  }

  @Override
  public long fingerprint(Prediction p) {
    return p.featureSet.fingerprint();
  }

  @Override
  public boolean publishesSchema() {
    return true;
  }

  @Override
  public byte[] key(Prediction p) {
    return p.idString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void writeBody(Prediction p, Encoder out) throws IOException {
    out.writeString(p.idString()); // prediction_id
    writeOptionalString(out, p.requestId); // request_id
    out.writeLong(p.servedAtMicros); // served_at
    out.writeString(p.modelName); // model_name
    out.writeString(p.modelVersion); // model_version
    out.writeMapStart(); // entity_keys
    out.setItemCount(p.entityCount);
    for (int i = 0; i < p.entityCount; i++) {
      out.startItem();
      out.writeString(p.entityKeys[2 * i]);
      out.writeString(p.entityKeys[2 * i + 1]);
    }
    out.writeMapEnd();
    if (p.hasScore) { // prediction
      out.writeIndex(1);
      out.writeDouble(p.prediction);
    } else {
      out.writeIndex(0);
      out.writeNull();
    }
    if (p.hasPropensity) { // propensity
      out.writeIndex(1);
      out.writeDouble(p.propensity);
    } else {
      out.writeIndex(0);
      out.writeNull();
    }
    writeOptionalString(out, p.action); // action
    out.writeDouble(p.sampleRate); // sample_rate
    writeUnsetFeatures(p, out); // unset_features
    writeFeatures(p.featureSet, p.slots, p.primitives, p.objects, out); // features
  }

  /**
   * Null when every feature was set (the common case: a few word compares); else the positions of
   * the unset ones. Their values in the features record are the type's placeholder (0, "", []),
   * which readers replace by null.
   */
  private static void writeUnsetFeatures(Prediction p, Encoder out) throws IOException {
    if (p.allFeaturesSet()) {
      out.writeIndex(0);
      out.writeNull();
      return;
    }
    out.writeIndex(1);
    out.writeArrayStart();
    out.setItemCount(p.unsetCount());
    for (int i = 0; i < p.fieldCount; i++) {
      if (!p.isSet(i)) {
        out.startItem();
        out.writeInt(i);
      }
    }
    out.writeArrayEnd();
  }

  private static void writeOptionalString(Encoder out, String s) throws IOException {
    if (s == null) {
      out.writeIndex(0);
      out.writeNull();
    } else {
      out.writeIndex(1);
      out.writeString(s);
    }
  }

  @SuppressWarnings("unchecked")
  private static void writeFeatures(
      FeatureSet fs, int[] slots, long[] prim, Object[] obj, Encoder out) throws IOException {
    List<FeatureField> fields = fs.fields();
    for (int i = 0, n = fields.size(); i < n; i++) {
      FeatureField f = fields.get(i);
      switch (f.type()) {
        case DOUBLE:
          out.writeDouble(Double.longBitsToDouble(prim[slots[f.index()]]));
          break;
        case FLOAT:
          out.writeFloat(Float.intBitsToFloat((int) prim[slots[f.index()]]));
          break;
        case LONG:
          out.writeLong(prim[slots[f.index()]]);
          break;
        case INT:
          out.writeInt((int) prim[slots[f.index()]]);
          break;
        case BOOLEAN:
          out.writeBoolean(prim[slots[f.index()]] != 0);
          break;
        case STRING:
          String s = (String) obj[slots[f.index()]];
          out.writeString(s == null ? "" : s);
          break;
        case FLOAT_VECTOR:
          float[] fv = (float[]) obj[slots[f.index()]];
          out.writeArrayStart();
          out.setItemCount(fv == null ? 0 : fv.length);
          if (fv != null) {
            for (float v : fv) {
              out.startItem();
              out.writeFloat(v);
            }
          }
          out.writeArrayEnd();
          break;
        case DOUBLE_VECTOR:
          double[] dv = (double[]) obj[slots[f.index()]];
          out.writeArrayStart();
          out.setItemCount(dv == null ? 0 : dv.length);
          if (dv != null) {
            for (double v : dv) {
              out.startItem();
              out.writeDouble(v);
            }
          }
          out.writeArrayEnd();
          break;
        case SPARSE:
          Map<String, Double> m = (Map<String, Double>) obj[slots[f.index()]];
          out.writeMapStart();
          out.setItemCount(m == null ? 0 : m.size());
          if (m != null) {
            for (Map.Entry<String, Double> e : m.entrySet()) {
              out.startItem();
              out.writeString(e.getKey());
              out.writeDouble(e.getValue() == null ? 0.0 : e.getValue());
            }
          }
          out.writeMapEnd();
          break;
        default:
          throw new IllegalStateException("unknown feature type " + f.type());
      }
    }
  }
}
