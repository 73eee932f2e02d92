package dev.logwait.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** The current reader reads every released writer, and an incompatible change is caught. */
class SchemaHistoryTest {
  private final FeatureSet fs = FeatureSetTest.allTypes(1);

  @Test
  void historyHoldsEveryReleaseAndTheCurrentSchemasAreTheNewest() {
    List<Schema> envelopes = LogwaitSchemas.predictionEnvelopeHistory();
    List<Schema> labels = LogwaitSchemas.labelEventHistory();
    assertThat(envelopes).isNotEmpty();
    assertThat(labels).isNotEmpty();
    assertThat(envelopes.get(envelopes.size() - 1)).isEqualTo(LogwaitSchemas.predictionEnvelope());
    assertThat(labels.get(labels.size() - 1)).isEqualTo(LogwaitSchemas.labelEvent());
  }

  @Test
  void currentEnvelopeReadsEveryOlderWriter() throws Exception {
    Schema reader = LogwaitSchemas.predictionWriterSchema(fs.featuresSchema());
    for (Schema envelope : LogwaitSchemas.predictionEnvelopeHistory()) {
      Schema writer = LogwaitSchemas.withFeatures(envelope, fs.featuresSchema());
      assertCompatible(reader, writer);
      GenericRecord written = SingleObjectCodecTest.prediction(fs);
      GenericRecord asOld = new GenericData.Record(writer);
      for (Schema.Field f : writer.getFields()) {
        asOld.put(f.name(), written.get(f.name()));
      }
      GenericRecord read = roundTrip(asOld, writer, reader);
      assertThat(read.get("prediction_id")).hasToString("p-1");
      assertThat(((GenericRecord) read.get("features")).get("d")).isEqualTo(1.5d);
    }
  }

  @Test
  void aVersionOneWriterReadsAsEveryFeatureSetAndItsScore() throws Exception {
    Schema v1 = LogwaitSchemas.predictionEnvelopeHistory().get(0);
    assertThat(v1.getField("prediction").schema().getType()).isEqualTo(Schema.Type.DOUBLE);
    assertThat(v1.getField("unset_features")).isNull();
    Schema writer = LogwaitSchemas.withFeatures(v1, fs.featuresSchema());
    Schema reader = LogwaitSchemas.predictionWriterSchema(fs.featuresSchema());
    GenericRecord written = SingleObjectCodecTest.prediction(fs);
    GenericRecord asV1 = new GenericData.Record(writer);
    for (Schema.Field f : writer.getFields()) {
      asV1.put(f.name(), written.get(f.name()));
    }
    GenericRecord read = roundTrip(asV1, writer, reader);
    // v1 had no way to say "unset": every feature and the score read as set.
    assertThat(read.get("unset_features")).isNull();
    assertThat(read.get("prediction")).isEqualTo(0.42);
  }

  @Test
  void theCurrentEnvelopeCarriesUnsetFeaturesAndAMissingScore() throws Exception {
    Schema current = LogwaitSchemas.predictionEnvelope();
    assertThat(LogwaitSchemas.envelopeFieldNames())
        .containsSubsequence("sample_rate", "unset_features")
        .endsWith("unset_features");
    assertThat(current.getField("prediction").schema().getTypes())
        .extracting(Schema::getType)
        .containsExactly(Schema.Type.NULL, Schema.Type.DOUBLE);
    Schema writer = fs.writerSchema();
    GenericRecord r = SingleObjectCodecTest.prediction(fs);
    r.put("prediction", null);
    r.put("unset_features", List.of(0, 5));
    GenericRecord read = roundTrip(r, writer, writer);
    assertThat(read.get("prediction")).isNull();
    assertThat(read.get("unset_features")).isEqualTo(List.of(0, 5));
    assertThat(FeatureSet.fromWriterSchema(writer)).isEqualTo(fs);
  }

  @Test
  void currentLabelReadsEveryOlderWriter() {
    for (Schema writer : LogwaitSchemas.labelEventHistory()) {
      assertCompatible(LogwaitSchemas.labelEvent(), writer);
    }
  }

  @Test
  void currentRouterPosteriorIsTheNewestAndReadsEveryOlderWriter() {
    List<Schema> history = LogwaitSchemas.routerPosteriorHistory();
    assertThat(history.get(history.size() - 1)).isEqualTo(LogwaitSchemas.routerPosterior());
    for (Schema writer : history) {
      assertCompatible(LogwaitSchemas.routerPosterior(), writer);
    }
  }

  @Test
  void anIncompatibleEnvelopeChangeIsCaught() {
    String json =
        LogwaitSchemas.predictionEnvelope()
            .toString()
            .replace(
                "{\"name\":\"served_at\",\"type\":{\"type\":\"long\"",
                "{\"name\":\"served_at\",\"type\":{\"type\":\"string\"");
    Schema changed = new Schema.Parser().parse(json);
    assertThat(changed.getField("served_at").schema().getType()).isEqualTo(Schema.Type.STRING);
    for (Schema old : LogwaitSchemas.predictionEnvelopeHistory()) {
      assertThat(
              SchemaCompatibility.checkReaderWriterCompatibility(changed, old)
                  .getResult()
                  .getCompatibility())
          .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }
  }

  private static void assertCompatible(Schema reader, Schema writer) {
    assertThat(
            SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult()
                .getCompatibility())
        .as("reader %s reads writer %s", reader.getFullName(), writer)
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  private static GenericRecord roundTrip(GenericRecord r, Schema writer, Schema reader)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(writer).write(r, enc);
    enc.flush();
    return new GenericDatumReader<GenericRecord>(writer, reader)
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }
}
