package dev.logwait.schema;

import dev.logwait.schema.internal.TopicScan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The compacted Kafka topic that carries writer schemas: key the fingerprint as 16 hex digits,
 * value the schema's JSON. The logger's worker publishes a schema before the first record that uses
 * it; the joiner reads the whole topic at the start of each run. No registry server.
 */
public final class SchemaTopic {
  /** Default topic name. */
  public static final String DEFAULT_TOPIC = "logwait-schemas";

  private SchemaTopic() {}

  /**
   * The record key for a fingerprint.
   *
   * @param fingerprint a CRC-64-AVRO fingerprint
   * @return its 16 lower-case hex digits ({@link SingleObjectCodec#hex})
   */
  public static String key(long fingerprint) {
    return SingleObjectCodec.hex(fingerprint);
  }

  /**
   * Creates the topic compacted if it does not exist. Failures other than "exists" are returned,
   * not thrown, so that a service without create rights can still log to a topic made by ops.
   *
   * @param admin a client of the cluster
   * @param topic the topic's name
   * @param timeout how long to wait for the broker
   * @return null when the topic exists now, else what went wrong
   */
  public static Exception ensureTopic(Admin admin, String topic, Duration timeout) {
    NewTopic spec =
        new NewTopic(topic, 1, (short) -1)
            .configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));
    try {
      admin.createTopics(List.of(spec)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause() instanceof TopicExistsException ? null : (Exception) e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    } catch (TimeoutException e) {
      return e;
    }
  }

  /**
   * Publishes a schema and waits for the broker's acknowledgement.
   *
   * @param producer a producer of byte arrays
   * @param topic the schemas topic
   * @param schema a writer schema
   * @param timeout how long to wait for the acknowledgement
   * @throws ExecutionException when the broker refused it
   * @throws TimeoutException when no acknowledgement came in time
   * @throws InterruptedException when the calling thread was interrupted while waiting
   */
  public static void publish(
      Producer<byte[], byte[]> producer, String topic, Schema schema, Duration timeout)
      throws ExecutionException, TimeoutException, InterruptedException {
    long fp = SingleObjectCodec.fingerprint(schema);
    producer
        .send(
            new ProducerRecord<>(
                topic,
                key(fp).getBytes(StandardCharsets.UTF_8),
                schema.toString().getBytes(StandardCharsets.UTF_8)))
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * What {@link #readAll} found.
   *
   * @param schemas the schemas by fingerprint
   * @param rejected the records it could not use, each with why
   */
  public record Contents(Map<Long, Schema> schemas, List<String> rejected) {}

  /**
   * Reads the whole topic, from the beginning to the end offsets seen at the start. A missing topic
   * reads as empty. Records whose value does not parse, or whose key does not match the value's
   * fingerprint, are listed in {@link Contents#rejected()}.
   *
   * @param consumerProps connection settings (bootstrap servers, security); deserializers are set
   *     here
   * @param topic the schemas topic
   * @param timeout how long the whole read may take
   * @return the schemas and the rejected records
   */
  public static Contents readAll(
      Map<String, Object> consumerProps, String topic, Duration timeout) {
    Map<Long, Schema> schemas = new HashMap<>();
    List<String> rejected = new ArrayList<>();
    TopicScan.readAll(
        consumerProps, topic, "schemas topic " + topic, timeout, r -> accept(r, schemas, rejected));
    return new Contents(schemas, rejected);
  }

  private static void accept(
      ConsumerRecord<byte[], byte[]> r, Map<Long, Schema> schemas, List<String> rejected) {
    String where = r.topic() + "-" + r.partition() + "@" + r.offset();
    if (r.value() == null) {
      return; // a tombstone: nothing to add
    }
    Schema schema;
    try {
      schema = new Schema.Parser().parse(new String(r.value(), StandardCharsets.UTF_8));
    } catch (SchemaParseException | NullPointerException e) {
      rejected.add(where + ": value is not an Avro schema (" + e.getMessage() + ")");
      return;
    }
    long fp = SingleObjectCodec.fingerprint(schema);
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    if (!key(fp).equals(key)) {
      rejected.add(where + ": key " + key + " does not match the schema's fingerprint " + key(fp));
      return;
    }
    schemas.put(fp, schema);
  }
}
