package dev.logwait.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class SingleObjectCodecTest {
  private final FeatureSet fs = FeatureSetTest.allTypes(1);
  private final SchemaStore store = SchemaStore.shipped();

  {
    store.add(fs.writerSchema());
  }

  static GenericRecord prediction(FeatureSet fs) {
    Schema writer = fs.writerSchema();
    GenericRecord features = new GenericData.Record(fs.featuresSchema());
    features.put("d", 1.5d);
    features.put("f", 2.5f);
    features.put("l", Long.MAX_VALUE);
    features.put("i", -7);
    features.put("b", true);
    features.put("s", "berlin");
    features.put("fv", List.of(0.25f, -1f));
    features.put("dv", List.of(1e300, -0.0));
    features.put("sp", Map.of("a", 1.0, "b", 2.0));
    GenericRecord r = new GenericData.Record(writer);
    r.put("prediction_id", "p-1");
    r.put("request_id", "r-1");
    r.put("served_at", 1_700_000_000_000_000L);
    r.put("model_name", "ctr");
    r.put("model_version", "v3");
    r.put("entity_keys", Map.of("user_id", "u1", "item_id", "i9"));
    r.put("prediction", 0.42);
    r.put("propensity", 0.5);
    r.put("action", "show");
    r.put("sample_rate", 0.25);
    r.put("features", features);
    return r;
  }

  @Test
  void roundTripsEveryFieldType() {
    GenericRecord in = prediction(fs);
    byte[] bytes = SingleObjectCodec.encode(in);
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(SingleObjectCodec.readFingerprint(bytes)).isEqualTo(fs.fingerprint());
    GenericRecord out = SingleObjectCodec.decode(bytes, store);
    assertThat(normalize(out)).isEqualTo(normalize(in));
    GenericRecord features = (GenericRecord) out.get("features");
    assertThat(features.get("l")).isEqualTo(Long.MAX_VALUE);
    assertThat(features.get("s")).isEqualTo(new Utf8("berlin"));
    assertThat(((Map<?, ?>) features.get("sp"))).hasSize(2);
  }

  @Test
  void roundTripsLabels() {
    GenericRecord label = new GenericData.Record(LogwaitSchemas.labelEvent());
    label.put("event_id", "e1");
    label.put("label_name", "click");
    label.put("value", 1.0);
    label.put("occurred_at", 5L);
    label.put("prediction_id", null);
    label.put("entity_keys", Map.of("order_id", "o1"));
    GenericRecord out = SingleObjectCodec.decode(SingleObjectCodec.encode(label), store);
    assertThat(out.get("event_id")).hasToString("e1");
    assertThat(out.get("prediction_id")).isNull();
  }

  @Test
  void namesEachKindOfMalformedMessage() {
    byte[] good = SingleObjectCodec.encode(prediction(fs));
    assertReason(null, MalformedMessageException.Reason.EMPTY, "no bytes");
    assertReason(new byte[0], MalformedMessageException.Reason.EMPTY, "no bytes");
    assertReason(
        new byte[] {(byte) 0xC3, 1, 2},
        MalformedMessageException.Reason.TOO_SHORT,
        "message of 3 bytes is shorter than the 10-byte single-object header");
    byte[] wrongMagic = good.clone();
    wrongMagic[0] = 0x4F;
    assertReason(
        wrongMagic,
        MalformedMessageException.Reason.BAD_MAGIC,
        "expected magic C3 01, found 4F 01");
    assertReason(
        "{\"prediction_id\": \"p\"}".getBytes(StandardCharsets.UTF_8),
        MalformedMessageException.Reason.BAD_MAGIC,
        "found 7B 22");
    byte[] unknown = good.clone();
    unknown[5] ^= 0x55;
    assertReason(
        unknown,
        MalformedMessageException.Reason.UNKNOWN_FINGERPRINT,
        "no known writer schema has fingerprint");
    assertReason(
        Arrays.copyOf(good, good.length - 5),
        MalformedMessageException.Reason.TRUNCATED_BODY,
        "ends before");
    byte[] trailing = Arrays.copyOf(good, good.length + 3);
    assertReason(trailing, MalformedMessageException.Reason.TRAILING_BYTES, "left over");
  }

  @Test
  void garbageBodiesNeverEscapeAsOtherExceptions() {
    byte[] good = SingleObjectCodec.encode(prediction(fs));
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] garbage = Arrays.copyOf(good, SingleObjectCodec.HEADER_LENGTH + random.nextInt(200));
      for (int j = SingleObjectCodec.HEADER_LENGTH; j < garbage.length; j++) {
        garbage[j] = (byte) random.nextInt();
      }
      try {
        SingleObjectCodec.decode(garbage, store);
      } catch (MalformedMessageException expected) {
        assertThat(expected.reason()).isNotNull();
      }
    }
  }

  @Test
  void wireHexIsTheLittleEndianHeaderBytes() {
    byte[] header = new byte[10];
    SingleObjectCodec.writeHeader(header, 0, 0x0102030405060708L);
    assertThat(SingleObjectCodec.wireHex(0x0102030405060708L)).isEqualTo("0807060504030201");
    assertThat(header[2]).isEqualTo((byte) 0x08);
  }

  /** A record as plain Java values (strings, sorted maps, lists) for equality checks. */
  static Object normalize(Object v) {
    if (v instanceof GenericRecord r) {
      Map<String, Object> out = new java.util.TreeMap<>();
      r.getSchema().getFields().forEach(f -> out.put(f.name(), normalize(r.get(f.name()))));
      return out;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new java.util.TreeMap<>();
      m.forEach((k, x) -> out.put(k.toString(), normalize(x)));
      return out;
    }
    if (v instanceof java.util.Collection<?> c) {
      return c.stream().map(SingleObjectCodecTest::normalize).toList();
    }
    return v instanceof CharSequence ? v.toString() : v;
  }

  private void assertReason(byte[] message, MalformedMessageException.Reason reason, String text) {
    assertThatThrownBy(() -> SingleObjectCodec.decode(message, store))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining(text)
        .satisfies(e -> assertThat(((MalformedMessageException) e).reason()).isEqualTo(reason));
  }
}
