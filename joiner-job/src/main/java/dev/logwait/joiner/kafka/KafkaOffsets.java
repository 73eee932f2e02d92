package dev.logwait.joiner.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/** Earliest and latest offsets of a topic's partitions, read by the driver (once per run). */
public final class KafkaOffsets {
  private KafkaOffsets() {}

  /** {@code partition -> bounds}; an empty map when the topic does not exist. */
  public static Map<Integer, OffsetBounds> bounds(Map<String, Object> clientProps, String topic) {
    return bounds(clientProps, topic, 60);
  }

  /** As {@link #bounds(Map, String)}, giving up after {@code timeoutSeconds} per request. */
  public static Map<Integer, OffsetBounds> bounds(
      Map<String, Object> clientProps, String topic, int timeoutSeconds) {
    Map<String, Object> props = new java.util.HashMap<>(clientProps);
    props.putIfAbsent("default.api.timeout.ms", timeoutSeconds * 1000);
    props.putIfAbsent("request.timeout.ms", Math.min(30_000, timeoutSeconds * 1000));
    try (Admin admin = Admin.create(props)) {
      Map<String, TopicDescription> d;
      try {
        d =
            admin
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(timeoutSeconds, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause()
            instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
          return Map.of();
        }
        throw e;
      }
      List<TopicPartition> parts = new ArrayList<>();
      d.get(topic).partitions().forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> newest = new HashMap<>();
      parts.forEach(
          tp -> {
            earliest.put(tp, OffsetSpec.earliest());
            latest.put(tp, OffsetSpec.latest());
            newest.put(tp, OffsetSpec.maxTimestamp());
          });
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e =
          admin.listOffsets(earliest).all().get(timeoutSeconds, TimeUnit.SECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> l =
          admin.listOffsets(latest).all().get(timeoutSeconds, TimeUnit.SECONDS);
      long now = System.currentTimeMillis();
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> n =
          admin.listOffsets(newest).all().get(timeoutSeconds, TimeUnit.SECONDS);
      Map<Integer, OffsetBounds> out = new TreeMap<>();
      for (TopicPartition tp : parts) {
        out.put(
            tp.partition(),
            new OffsetBounds(e.get(tp).offset(), l.get(tp).offset(), n.get(tp).timestamp(), now));
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(
          "Cannot read offsets of topic "
              + topic
              + " from Kafka at "
              + clientProps.get("bootstrap.servers")
              + ": "
              + e,
          e);
    }
  }
}
