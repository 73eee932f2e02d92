package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.ingest.FeatureDecode;
import dev.logwait.joiner.table.Tables;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code raw_predictions} is the lossless log: every message of the predictions topic is in it with
 * exactly the bytes Kafka holds (value, key, topic, partition, offset, timestamp), or is a later
 * copy of a prediction it holds, or is quarantined; and a prediction decoded again from those bytes
 * equals its training row, feature by feature.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RawLogIT {
  @Test
  void theRawLogHoldsKafkasBytesAndDecodesToTheTrainingRows() {
    Scenario s = new Scenario("rawlog", 3, 2, Traffic.LABELS);
    Traffic.send(s, 800, 7);
    assertThat(s.run().counts()).containsEntry("finalized", 800L);

    List<ConsumerRecord<byte[], byte[]>> messages = readAll(s);
    Map<String, Row> raw = new HashMap<>();
    for (Row r :
        s.read("raw_predictions")
            .select(
                "kafka_partition",
                "kafka_offset",
                "kafka_topic",
                "kafka_timestamp",
                "kafka_key",
                "kafka_value",
                "prediction_id")
            .collectAsList()) {
      raw.put(r.getInt(0) + "@" + r.getLong(1), r);
    }
    Map<String, Object> quarantined = new HashMap<>();
    s.read("quarantine")
        .select("kafka_partition", "kafka_offset")
        .collectAsList()
        .forEach(r -> quarantined.put(r.getInt(0) + "@" + r.getLong(1), r));
    long inTable = 0;
    long laterCopies = 0;
    for (ConsumerRecord<byte[], byte[]> m : messages) {
      Row r = raw.get(m.partition() + "@" + m.offset());
      if (r == null) {
        assertThat(quarantined.containsKey(m.partition() + "@" + m.offset()) || isCopy(m, raw))
            .as(
                "message %d@%d is in raw_predictions, quarantine, or a copy",
                m.partition(), m.offset())
            .isTrue();
        laterCopies += quarantined.containsKey(m.partition() + "@" + m.offset()) ? 0 : 1;
        continue;
      }
      inTable++;
      assertThat(hex((byte[]) r.get(5))).as("value bytes").isEqualTo(hex(m.value()));
      assertThat(hex((byte[]) r.get(4))).as("key bytes").isEqualTo(hex(m.key()));
      assertThat(r.getString(2)).isEqualTo(m.topic());
      assertThat(r.getTimestamp(3).getTime()).isEqualTo(m.timestamp());
    }
    assertThat(inTable).isEqualTo(raw.size()).isEqualTo(800);
    assertThat(laterCopies).as("the duplicates Traffic sends").isEqualTo(16);

    // decoded again from the stored bytes (the same path as `query`'s predictions_<set> view)
    Tables tables = new Tables(s.spark(), s.config);
    Dataset<Row> decoded =
        FeatureDecode.of(tables).decoded(s.read("raw_predictions"), Traffic.FS.name());
    Map<String, Map<String, Object>> training = s.rows("training_traffic", "prediction_id");
    List<String> features = new ArrayList<>();
    for (int k = 0; k < 10; k++) {
      features.add("x" + k);
    }
    features.add("country");
    features.addAll(List.of("model_name", "model_version", "served_at", "entity_keys"));
    long compared = 0;
    for (Row r : decoded.collectAsList()) {
      Map<String, Object> again = new LinkedHashMap<>();
      for (String f : features) {
        again.put(f, Scenario.plain(r.getAs(f)));
      }
      Map<String, Object> row = training.get(r.<String>getAs("prediction_id"));
      Map<String, Object> expected = new LinkedHashMap<>();
      features.forEach(f -> expected.put(f, row.get(f)));
      assertThat(again).as(r.<String>getAs("prediction_id")).isEqualTo(expected);
      compared++;
    }
    assertThat(compared).isEqualTo(800);
    assertThat(tables.iceberg(Tables.RAW_PREDICTIONS).properties())
        .as("the writer schema travels with the table")
        .containsKey(
            FeatureDecode.PROPERTY
                + dev.logwait.schema.SingleObjectCodec.wireHex(
                    dev.logwait.schema.SingleObjectCodec.fingerprint(Traffic.FS.writerSchema())));
  }

  /** A message not in the table is a later copy of a prediction id that is. */
  private static boolean isCopy(ConsumerRecord<byte[], byte[]> m, Map<String, Row> raw) {
    String key = new String(m.key(), java.nio.charset.StandardCharsets.UTF_8);
    return raw.values().stream().anyMatch(r -> r.getString(6).equals(key));
  }

  private static String hex(byte[] b) {
    return b == null ? null : HexFormat.of().formatHex(b);
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(Scenario s) {
    Map<String, Object> props = new HashMap<>(s.broker.clientProps());
    props.put("auto.offset.reset", "earliest");
    props.put("enable.auto.commit", "false");
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts =
          c.partitionsFor(s.predictions).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
        assertThat(System.nanoTime()).as("read the topic within a minute").isLessThan(deadline);
        c.poll(Duration.ofMillis(500)).forEach(out::add);
      }
    }
    return out;
  }
}
