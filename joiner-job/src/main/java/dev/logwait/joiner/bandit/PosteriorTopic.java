package dev.logwait.joiner.bandit;

import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.schema.MalformedMessageException;
import dev.logwait.schema.SchemaStore;
import dev.logwait.schema.internal.TopicScan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The compacted topic of router posteriors ({@code kafka.posteriors-topic}): key the router's name
 * (UTF-8), value a {@link Posterior} message. Created compacted where missing, as the schemas topic
 * is ({@link #ensureTopic}). Each publication waits for the broker's acknowledgement.
 */
public final class PosteriorTopic implements AutoCloseable {
  /** How long a publication (and the topic's creation) may take. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;

  private PosteriorTopic(String topic, KafkaProducer<byte[], byte[]> producer) {
    this.topic = topic;
    this.producer = producer;
  }

  /**
   * Creates the topic if missing (a failure to create it is not fatal: ops may have created it, or
   * the publication then fails naming the topic) and opens a producer for it.
   */
  static PosteriorTopic open(JoinerConfig config) {
    String topic = config.get(ConfigKey.POSTERIORS_TOPIC);
    Map<String, Object> props = new HashMap<>(config.kafkaClientProps());
    try (Admin admin = Admin.create(props)) {
      ensureTopic(admin, topic);
    }
    Map<String, Object> p = new HashMap<>();
    // the consumer settings the configuration passes through that a producer also knows
    // (security, SASL, SSL, client.id, …): the others would only be warned about
    Set<String> known = ProducerConfig.configNames();
    props.forEach(
        (k, v) -> {
          if (known.contains(k)) {
            p.put(k, v);
          }
        });
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    // a message is a whole state, so a duplicate is harmless; without idempotence the producer
    // needs no IDEMPOTENT_WRITE permission on the cluster
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new PosteriorTopic(
        topic, new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()));
  }

  /**
   * Creates the topic if it does not exist: compacted, one partition, its segments rolled hourly so
   * that compaction can drop superseded messages within the hour (a stream publishes every router
   * every batch, and a router starting up reads the whole topic). Other failures than "exists" are
   * left to the publication, which names the topic.
   */
  static void ensureTopic(Admin admin, String topic) {
    NewTopic spec =
        new NewTopic(topic, 1, (short) -1)
            .configs(
                Map.of(
                    "cleanup.policy",
                    "compact",
                    "min.compaction.lag.ms",
                    "0",
                    "segment.ms",
                    String.valueOf(Duration.ofHours(1).toMillis())));
    try {
      admin.createTopics(List.of(spec)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // exists already, or the joiner may not create topics: ops created it (or the publication
      // fails naming the topic)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Publishes and waits for the acknowledgement.
   *
   * @throws IllegalStateException naming the topic when the broker did not take it
   */
  void publish(Posterior posterior) {
    try {
      producer
          .send(
              new ProducerRecord<>(
                  topic, posterior.router().getBytes(StandardCharsets.UTF_8), posterior.encode()))
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(posterior, e);
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      throw failed(posterior, e instanceof ExecutionException ? e.getCause() : e);
    }
  }

  private IllegalStateException failed(Posterior p, Throwable cause) {
    return new IllegalStateException(
        "router "
            + p.router()
            + ": its statistics at training snapshot "
            + p.trainingSnapshot()
            + " are committed in "
            + StateTable.TABLE
            + " but could not be published to "
            + ConfigKey.POSTERIORS_TOPIC.key
            + "="
            + topic
            + " within "
            + TIMEOUT.toSeconds()
            + " s ("
            + cause
            + "); the next run publishes them. Check that the topic exists (compacted) and that"
            + " the joiner may write to it.",
        cause);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }

  /**
   * What {@link #readLatest} found.
   *
   * @param latest the newest decodable message of each router
   * @param rejected the records that could not be read, each with why
   */
  public record Contents(Map<String, Posterior> latest, List<String> rejected) {}

  /**
   * The newest posterior of each router: the whole topic, from the beginning to the end offsets
   * seen at the start. A missing topic reads as empty.
   *
   * @throws org.apache.kafka.common.KafkaException when Kafka does not answer within {@code
   *     timeout}
   */
  public static Contents readLatest(JoinerConfig config, Duration timeout) {
    String topic = config.get(ConfigKey.POSTERIORS_TOPIC);
    Map<String, Object> props = new HashMap<>(config.kafkaClientProps());
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    Map<String, Posterior> latest = new TreeMap<>();
    List<String> rejected = new ArrayList<>();
    SchemaStore store = Posterior.shippedSchemas();
    TopicScan.readAll(props, topic, topic, timeout, r -> accept(r, store, latest, rejected));
    return new Contents(latest, rejected);
  }

  private static void accept(
      ConsumerRecord<byte[], byte[]> r,
      SchemaStore store,
      Map<String, Posterior> latest,
      List<String> rejected) {
    String where = r.topic() + "-" + r.partition() + "@" + r.offset();
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    if (r.value() == null) {
      if (key != null) {
        latest.remove(key); // a tombstone: the router's posterior was deleted
      }
      return;
    }
    try {
      Posterior p = Posterior.decode(r.value(), store);
      if (!p.router().equals(key)) {
        rejected.add(
            where + ": key " + key + " names another router than its message's " + p.router());
        return;
      }
      latest.put(key, p);
    } catch (MalformedMessageException e) {
      rejected.add(where + ": " + e.getMessage());
    }
  }
}
