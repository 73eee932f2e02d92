package dev.logwait.schema.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Internal: reads a whole (compacted) topic once, from the beginning to the end offsets seen at the
 * start, without a consumer group: the schemas topic and the joiner's posteriors topic. Not part of
 * logwait's API.
 */
public final class TopicScan {
  private TopicScan() {}

  /**
   * Hands every record of {@code topic} to {@code each}, in each partition's order. A missing topic
   * reads as empty.
   *
   * @param consumerProps connection settings (bootstrap servers, security, client timeouts); the
   *     group, auto-commit and deserializers are set here
   * @param topic the topic
   * @param what the topic as the timeout's message names it (e.g. "schemas topic logwait-schemas")
   * @param timeout how long the whole read may take
   * @param each receives each record
   * @throws TimeoutException when the end is not reached within {@code timeout}
   */
  public static void readAll(
      Map<String, Object> consumerProps,
      String topic,
      String what,
      Duration timeout,
      Consumer<ConsumerRecord<byte[], byte[]>> each) {
    Map<String, Object> props = new HashMap<>(consumerProps);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
    props.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.listTopics(timeout).get(topic);
      if (infos == null || infos.isEmpty()) {
        return;
      }
      List<TopicPartition> partitions = new ArrayList<>();
      infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      Set<TopicPartition> pending = new HashSet<>();
      end.forEach(
          (tp, off) -> {
            if (off > 0) {
              pending.add(tp);
            }
          });
      while (!pending.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              "Reading " + what + " did not reach its end within " + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          each.accept(r);
        }
        pending.removeIf(tp -> consumer.position(tp) >= end.get(tp));
      }
    }
  }
}
