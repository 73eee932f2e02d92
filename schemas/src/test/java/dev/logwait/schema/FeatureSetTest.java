package dev.logwait.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class FeatureSetTest {
  static FeatureSet allTypes(int version) {
    return FeatureSet.builder("everything", version)
        .addDouble("d")
        .addFloat("f")
        .addLong("l")
        .addInt("i")
        .addBoolean("b")
        .addString("s")
        .addFloatVector("fv")
        .addDoubleVector("dv")
        .addSparse("sp")
        .build();
  }

  @Test
  void becomesAFlatAvroRecordEmbeddedInTheEnvelope() {
    FeatureSet fs = allTypes(1);
    Schema features = fs.featuresSchema();
    assertThat(features.getFullName()).isEqualTo("dev.logwait.features.everything_v1");
    assertThat(features.getFields())
        .extracting(Schema.Field::name)
        .containsExactly("d", "f", "l", "i", "b", "s", "fv", "dv", "sp");
    assertThat(features.getField("fv").schema().getElementType().getType())
        .isEqualTo(Schema.Type.FLOAT);
    assertThat(features.getField("sp").schema().getValueType().getType())
        .isEqualTo(Schema.Type.DOUBLE);
    assertThat(features.getFields()).allMatch(Schema.Field::hasDefaultValue);
    Schema writer = fs.writerSchema();
    assertThat(writer.getField("features").schema()).isEqualTo(features);
    assertThat(writer.getField("prediction_id").schema().getType()).isEqualTo(Schema.Type.STRING);
    assertThat(fs.primitiveSlots()).isEqualTo(5);
    assertThat(fs.objectSlots()).isEqualTo(4);
    assertThat(fs.fingerprint()).isEqualTo(SingleObjectCodec.fingerprint(writer));
  }

  @Test
  void versionsHaveDistinctFingerprints() {
    assertThat(allTypes(1).fingerprint()).isNotEqualTo(allTypes(2).fingerprint());
    assertThat(allTypes(1).fingerprint()).isEqualTo(allTypes(1).fingerprint());
  }

  @Test
  void readsBackFromItsWriterSchema() {
    FeatureSet fs = allTypes(3);
    Schema parsed = new Schema.Parser().parse(fs.writerSchema().toString());
    FeatureSet back = FeatureSet.fromWriterSchema(parsed);
    assertThat(back).isEqualTo(fs);
    assertThat(back.name()).isEqualTo("everything");
    assertThat(back.version()).isEqualTo(3);
  }

  @Test
  void refusesBadDeclarationsNamingTheProblem() {
    assertThatThrownBy(() -> FeatureSet.builder("1bad", 1))
        .hasMessageContaining("Feature set name '1bad' is invalid");
    assertThatThrownBy(() -> FeatureSet.builder("ok", 0))
        .hasMessageContaining("version must be >= 1, was 0");
    assertThatThrownBy(() -> FeatureSet.builder("ok", 1).build())
        .hasMessageContaining("declares no features");
    assertThatThrownBy(() -> FeatureSet.builder("ok", 1).addDouble("a-b"))
        .hasMessageContaining("Feature name 'a-b' in feature set ok is invalid");
    assertThatThrownBy(() -> FeatureSet.builder("ok", 1).addDouble("model_name"))
        .hasMessageContaining("'model_name' in feature set ok is reserved");
    assertThatThrownBy(() -> FeatureSet.builder("ok", 1).addDouble("label_click"))
        .hasMessageContaining("is reserved");
    assertThatThrownBy(() -> FeatureSet.builder("ok", 1).addDouble("Age").addLong("age"))
        .hasMessageContaining("'age' in feature set ok repeats 'Age'");
  }

  @Test
  void fromWriterSchemaRefusesOtherSchemas() {
    assertThatThrownBy(() -> FeatureSet.fromWriterSchema(LogwaitSchemas.labelEvent()))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining("not a prediction schema");
  }
}
