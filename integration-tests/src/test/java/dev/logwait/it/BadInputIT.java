package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.SingleObjectCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 5: random bytes, wrong magic, unknown fingerprint, truncated body, empty value, null
 * key, JSON instead of Avro, junk after a valid record. Each malformed message lands in quarantine
 * with its reason and coordinates, the run succeeds, and the counts in runs match.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BadInputIT {
  static final FeatureSet FS = FeatureSet.builder("bad", 1).addDouble("x").addString("s").build();

  @Test
  void everyMalformedMessageIsQuarantinedWithItsReasonAndCoordinates() throws Exception {
    Scenario s =
        new Scenario("bad", 1, 1, "labels:\n  - {name: click, window: 10m, aggregation: exists}\n");
    long t0 = 1_780_000_000_000_000L;
    try (PredictionLogger logger = s.predictionLogger().build();
        LabelLogger labels = s.labelLogger()) {
      logger.log(
          logger.prediction(FS, "m", "1").predictionId("good-1").servedAtMicros(t0).set("s", "ok"));
      logger.flush(Duration.ofSeconds(60));
      labels.log(Label.forPrediction("good-1", "click", 1, t0 + 1));
      labels.flush(Duration.ofSeconds(60));
    }
    byte[] good = validPrediction();
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 4);
    byte[] unknown = good.clone();
    unknown[4] ^= 0x5A;
    byte[] random = new byte[64];
    new java.util.Random(3).nextBytes(random);
    random[0] = 0x11;
    Map<String, byte[]> bad = new java.util.LinkedHashMap<>();
    bad.put("random", random);
    bad.put("magic", new byte[] {(byte) 0xC3, 0x02, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    bad.put("unknown", unknown);
    bad.put("truncated", truncated);
    bad.put("empty", new byte[0]);
    bad.put("json", "{\"prediction_id\": \"p1\", \"x\": 1.0}".getBytes(StandardCharsets.UTF_8));
    // a valid header and body followed by 16 junk bytes: a message must be consumed exactly
    bad.put("trailing", java.util.Arrays.copyOf(good, good.length + 16));
    Map<String, Object> props = new HashMap<>(s.broker.clientProps());
    Map<String, Long> offsets = new TreeMap<>();
    List<Long> nullKeyGood = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Map.Entry<String, byte[]> e : bad.entrySet()) {
        RecordMetadata m =
            p.send(new ProducerRecord<>(s.predictions, "k".getBytes(), e.getValue())).get();
        offsets.put(e.getKey(), m.offset());
      }
      // a null key with a valid value is fine (keys are for partitioning only)
      nullKeyGood.add(p.send(new ProducerRecord<>(s.predictions, null, good)).get().offset());
      // a null value with a null key: a tombstone-like empty message
      offsets.put(
          "null-value", p.send(new ProducerRecord<>(s.predictions, null, null)).get().offset());
      offsets.put(
          "label-garbage", p.send(new ProducerRecord<>(s.labels, null, random)).get().offset());
    }

    var summary = s.run();
    assertThat(summary.counts())
        .containsEntry("quarantined", 9L)
        .containsEntry("predictions_written", 2L);

    Map<String, Row> byOffset = new TreeMap<>();
    for (Row r : s.read("quarantine").collectAsList()) {
      byOffset.put(r.getAs("topic") + "@" + r.getAs("kafka_offset"), r);
    }
    assertThat(reason(byOffset, s.predictions, offsets.get("random"))).isEqualTo("BAD_MAGIC");
    assertThat(reason(byOffset, s.predictions, offsets.get("magic"))).isEqualTo("BAD_MAGIC");
    assertThat(reason(byOffset, s.predictions, offsets.get("unknown")))
        .isEqualTo("UNKNOWN_FINGERPRINT");
    // the fingerprint in the one form a person sees, as the schemas topic keys it: byte 4 of the
    // message is byte 2 of the little-endian fingerprint
    long unknownFingerprint = FS.fingerprint() ^ (0x5AL << 16);
    assertThat((String) byOffset.get(s.predictions + "@" + offsets.get("unknown")).getAs("detail"))
        .isEqualTo(
            "no known writer schema has fingerprint "
                + dev.logwait.schema.SchemaTopic.key(unknownFingerprint)
                + " (is the schemas topic complete?)");
    assertThat(reason(byOffset, s.predictions, offsets.get("truncated"))).isEqualTo("INVALID_BODY");
    assertThat(reason(byOffset, s.predictions, offsets.get("empty"))).isEqualTo("EMPTY");
    assertThat(reason(byOffset, s.predictions, offsets.get("trailing")))
        .isEqualTo("TRAILING_BYTES");
    assertThat((String) byOffset.get(s.predictions + "@" + offsets.get("trailing")).getAs("detail"))
        .isEqualTo("16 bytes follow the record; a message must hold exactly one");
    assertThat(reason(byOffset, s.predictions, offsets.get("json"))).isEqualTo("BAD_MAGIC");
    assertThat(reason(byOffset, s.predictions, offsets.get("null-value"))).isEqualTo("EMPTY");
    assertThat(reason(byOffset, s.labels, offsets.get("label-garbage"))).isEqualTo("BAD_MAGIC");
    Row json = byOffset.get(s.predictions + "@" + offsets.get("json"));
    assertThat((String) json.getAs("detail")).isEqualTo("expected magic C3 01, found 7B22");
    assertThat((byte[]) json.getAs("value")).isEqualTo(bad.get("json"));
    assertThat((int) json.getAs("kafka_partition")).isZero();
    Row runs = s.spark().sql("SELECT counts['quarantined'] FROM " + s.table("runs")).first();
    assertThat(runs.getLong(0)).isEqualTo(9L);
    assertThat(s.read("raw_predictions").count()).isEqualTo(2);
  }

  private static String reason(Map<String, Row> rows, String topic, long offset) {
    Row r = rows.get(topic + "@" + offset);
    assertThat(r).as("quarantined %s@%d", topic, offset).isNotNull();
    return r.getAs("reason");
  }

  private static byte[] validPrediction() {
    var record = new org.apache.avro.generic.GenericData.Record(FS.writerSchema());
    record.put("prediction_id", "null-key-1");
    record.put("served_at", 1_780_000_000_000_000L);
    record.put("model_name", "m");
    record.put("model_version", "1");
    record.put("entity_keys", Map.of());
    record.put("prediction", 0.5);
    record.put("sample_rate", 1.0);
    var f = new org.apache.avro.generic.GenericData.Record(FS.featuresSchema());
    f.put("x", 1.0);
    f.put("s", "a");
    record.put("features", f);
    return SingleObjectCodec.encode(record);
  }
}
