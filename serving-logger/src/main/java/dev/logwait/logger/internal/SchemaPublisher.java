package dev.logwait.logger.internal;

import dev.logwait.schema.SchemaTopic;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts writer schemas on the schemas topic before the first record that uses them, and remembers
 * which it put there. A publication waits for the broker's acknowledgement. Worker thread only.
 */
final class SchemaPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaPublisher.class);

  /** A schema the broker did not acknowledge in time, or refused. */
  static final class NotPublished extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotPublished(long fingerprint, String topic, Throwable cause) {
      super(
          "writer schema "
              + Long.toHexString(fingerprint)
              + " not published to "
              + topic
              + "; its records wait (spool) or fail: "
              + cause,
          cause);
    }
  }

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Duration timeout;
  private final Counters counters;
  private final Map<String, Object> adminProps; // null: the topic is not created here
  private final Set<Long> published = new HashSet<>();
  private long last; // skips the set (and boxing) for a run of records of one schema
  private boolean topicChecked;

  /**
   * @param timeout how long a publication waits for the acknowledgement
   * @param adminProps to create the topic before the first publication; null when the logger may
   *     not create it, or its cluster probe does
   */
  SchemaPublisher(
      Producer<byte[], byte[]> producer,
      String topic,
      Duration timeout,
      Counters counters,
      Map<String, Object> adminProps) {
    this.producer = producer;
    this.topic = topic;
    this.timeout = timeout;
    this.counters = counters;
    this.adminProps = adminProps;
  }

  /** Whether the schema of this fingerprint is on the topic (published by this logger). */
  boolean isPublished(long fingerprint) {
    if (fingerprint == last && !published.isEmpty()) {
      return true;
    }
    if (published.contains(fingerprint)) {
      last = fingerprint;
      return true;
    }
    return false;
  }

  /**
   * Publishes the schema unless it is published already, and waits for the acknowledgement.
   *
   * @throws NotPublished when it was refused or not acknowledged within the timeout
   */
  void ensurePublished(Schema schema, long fingerprint) throws InterruptedException {
    if (isPublished(fingerprint)) {
      return;
    }
    createTopicOnce();
    try {
      SchemaTopic.publish(producer, topic, schema, timeout);
    } catch (ExecutionException e) {
      throw new NotPublished(fingerprint, topic, e.getCause());
    } catch (TimeoutException | RuntimeException e) {
      throw new NotPublished(fingerprint, topic, e);
    }
    published.add(fingerprint);
    last = fingerprint;
    counters.schemaPublished();
  }

  private void createTopicOnce() {
    if (adminProps == null || topicChecked) {
      return;
    }
    topicChecked = true;
    try (Admin admin = Admin.create(adminProps)) {
      Exception e = SchemaTopic.ensureTopic(admin, topic, Duration.ofSeconds(30));
      if (e != null) {
        LOG.warn(
            "Cannot create schemas topic {} ({}); publishing to it as it is", topic, e.toString());
      }
    } catch (RuntimeException e) {
      LOG.warn("Cannot check schemas topic {}: {}", topic, e.toString());
    }
  }
}
