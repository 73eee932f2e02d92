package dev.logwait.joiner.ingest;

import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.kafka.OffsetBounds;
import dev.logwait.joiner.table.Json;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** A batch read of one topic's explicit offset ranges through Spark's Kafka source. */
final class KafkaRead {
  /**
   * Consumer settings for reading a backlog in bulk (the consumer's defaults suit a trickle: 1 MiB
   * per partition per fetch, a 64 KiB socket buffer). {@code kafka.properties} overrides them.
   */
  static final Map<String, String> FETCH_DEFAULTS =
      Map.of(
          "max.partition.fetch.bytes", String.valueOf(16 << 20),
          "fetch.max.bytes", String.valueOf(64 << 20),
          "receive.buffer.bytes", String.valueOf(4 << 20));

  private KafkaRead() {}

  /** The records from {@code start} to each partition's log end; empty when there are none. */
  static Optional<Dataset<Row>> range(
      SparkSession spark,
      JoinerConfig config,
      String topic,
      Map<Integer, Long> start,
      Map<Integer, OffsetBounds> bounds) {
    Map<String, Long> from = new TreeMap<>();
    Map<String, Long> until = new TreeMap<>();
    start.forEach(
        (partition, offset) -> {
          long end = bounds.get(partition).latest();
          if (end > offset) {
            from.put(String.valueOf(partition), offset);
            until.put(String.valueOf(partition), end);
          }
        });
    if (from.isEmpty()) {
      return Optional.empty();
    }
    DataFrameReader r =
        spark
            .read()
            .format("kafka")
            .option("kafka.bootstrap.servers", config.get(ConfigKey.BOOTSTRAP_SERVERS))
            .option(
                "assign",
                Json.write(
                    Map.of(
                        topic,
                        new ArrayList<>(from.keySet().stream().map(Integer::valueOf).toList()))))
            .option("startingOffsets", Json.write(Map.of(topic, from)))
            .option("endingOffsets", Json.write(Map.of(topic, until)))
            .option("failOnDataLoss", "true");
    for (Map.Entry<String, String> e : FETCH_DEFAULTS.entrySet()) {
      r = r.option("kafka." + e.getKey(), e.getValue());
    }
    for (Map.Entry<String, String> e : config.withPrefix(ConfigKey.KAFKA_PROPERTIES).entrySet()) {
      r = r.option("kafka." + e.getKey(), e.getValue());
    }
    return Optional.of(r.load());
  }
}
