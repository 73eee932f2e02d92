package dev.logwait.testing;

import dev.logwait.schema.SchemaTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what a real broker received from a logger, decoded with the schemas topic's writer schemas:
 * for integration tests that log through a real broker (see {@link LogwaitKafka}).
 *
 * <pre>{@code
 * List<LoggedPrediction> logged =
 *     TopicReader.predictions(broker.clientProps(), "predictions", "logwait-schemas");
 * }</pre>
 */
public final class TopicReader {
  private TopicReader() {}

  /**
   * The predictions in a topic, from its beginning to its end offsets at the call.
   *
   * @param clientProps consumer settings (bootstrap servers, security)
   * @param topic the predictions topic
   * @param schemasTopic the schemas topic the logger published to
   * @return the predictions, decoded, partition by partition
   */
  public static List<LoggedPrediction> predictions(
      Map<String, Object> clientProps, String topic, String schemasTopic) {
    List<LoggedPrediction> out = new ArrayList<>();
    read(clientProps, topic, schemasTopic, out, new ArrayList<>());
    return out;
  }

  /**
   * The label events in a topic.
   *
   * @param clientProps consumer settings
   * @param topic the labels topic
   * @return the label events, decoded
   */
  public static List<LoggedLabel> labels(Map<String, Object> clientProps, String topic) {
    List<LoggedLabel> out = new ArrayList<>();
    read(clientProps, topic, null, new ArrayList<>(), out);
    return out;
  }

  private static void read(
      Map<String, Object> clientProps,
      String topic,
      String schemasTopic,
      List<LoggedPrediction> predictions,
      List<LoggedLabel> labels) {
    Decoding d =
        new Decoding(
            schemasTopic == null
                ? List.of()
                : SchemaTopic.readAll(clientProps, schemasTopic, Duration.ofMinutes(1))
                    .schemas()
                    .values());
    Map<String, Object> props = new HashMap<>(clientProps);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo p : c.partitionsFor(topic, Duration.ofSeconds(30))) {
        parts.add(new TopicPartition(topic, p.partition()));
      }
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + topic + " to its end in 2 minutes");
        }
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          if (Decoding.isMessage(r.value())) {
            d.decode(r.value(), predictions, labels);
          }
        }
      }
    }
  }
}
