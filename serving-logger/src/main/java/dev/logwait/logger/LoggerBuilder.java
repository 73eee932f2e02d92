package dev.logwait.logger;

import dev.logwait.logger.internal.LoggerSettings;
import dev.logwait.schema.SchemaTopic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Settings shared by {@link PredictionLogger} and {@link LabelLogger}. Every setter validates its
 * argument and names the setting in its message; {@code build()} checks the whole.
 *
 * @param <B> the concrete builder
 */
public abstract class LoggerBuilder<B extends LoggerBuilder<B>> {
  /** Default of {@link #queueCapacity}. */
  public static final int DEFAULT_QUEUE_CAPACITY = 65_536;

  /** Default of {@link #closeTimeout}. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** Default {@code compression.type} of the producer. */
  public static final String DEFAULT_COMPRESSION = "lz4";

  /** Default {@code linger.ms} of the producer: batches fill for up to 20 ms. */
  public static final int DEFAULT_LINGER_MS = 20;

  /** Default {@code batch.size} of the producer (1 MiB). */
  public static final int DEFAULT_BATCH_SIZE = 1024 * 1024;

  /**
   * Default {@code max.block.ms} of the producer: how long the worker (never the caller) waits for
   * metadata.
   */
  public static final int DEFAULT_MAX_BLOCK_MS = 10_000;

  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  String bootstrapServers;
  String topic;
  String schemasTopic = SchemaTopic.DEFAULT_TOPIC;
  String clientId = "logwait";
  int queueCapacity = DEFAULT_QUEUE_CAPACITY;
  Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
  final Map<String, Object> producerOverrides = new HashMap<>();
  Object meterRegistry;
  boolean createSchemasTopic = true;
  Path spoolDir;
  long spoolMaxBytes;
  int spoolSyncRecords = DEFAULT_SPOOL_SYNC_RECORDS;
  Duration spoolSyncInterval = DEFAULT_SPOOL_SYNC_INTERVAL;

  /** What a logger does with records Kafka cannot take, when it has no spool. */
  public enum Overflow {
    /**
     * Drop them, counted ({@code dropped} when the queue is full, {@code failed} when Kafka refused
     * or timed out): the default, since a spool needs a directory and a disk budget that only the
     * service's owner can choose.
     */
    DROP
  }

  /** Default of {@link #spoolSync}: fsync after this many spooled records. */
  public static final int DEFAULT_SPOOL_SYNC_RECORDS = 1_000;

  /** Default of {@link #spoolSync}: fsync spooled records at least this often. */
  public static final Duration DEFAULT_SPOOL_SYNC_INTERVAL = Duration.ofSeconds(1);

  LoggerBuilder(String defaultTopic) {
    this.topic = defaultTopic;
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  /**
   * Kafka bootstrap servers. Required.
   *
   * @param servers {@code host:port[,host:port…]}
   * @return this builder
   */
  public B bootstrapServers(String servers) {
    if (servers == null || servers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers must be host:port[,host:port...]");
    }
    this.bootstrapServers = servers.trim();
    return self();
  }

  /**
   * The topic records go to.
   *
   * @param topic a Kafka topic name
   * @return this builder
   */
  public B topic(String topic) {
    this.topic = checkTopic("topic", topic);
    return self();
  }

  /**
   * The compacted topic that carries writer schemas; default {@value SchemaTopic#DEFAULT_TOPIC}.
   *
   * @param topic a Kafka topic name, not the records' topic
   * @return this builder
   */
  public B schemasTopic(String topic) {
    this.schemasTopic = checkTopic("schemasTopic", topic);
    return self();
  }

  /**
   * Names the producer, the worker thread and the meters. Default {@code logwait}.
   *
   * @param clientId a non-blank name
   * @return this builder
   */
  public B clientId(String clientId) {
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("clientId must not be blank");
    }
    this.clientId = clientId;
    return self();
  }

  /**
   * Records that may wait for the worker; when full, {@code log} drops and counts. Default {@value
   * #DEFAULT_QUEUE_CAPACITY}; rounded up to a power of two.
   *
   * @param capacity between 16 and 2^26 records
   * @return this builder
   */
  public B queueCapacity(int capacity) {
    if (capacity < 16 || capacity > (1 << 26)) {
      throw new IllegalArgumentException(
          "queueCapacity must be between 16 and " + (1 << 26) + ", was " + capacity);
    }
    this.queueCapacity = capacity;
    return self();
  }

  /**
   * How long {@code close()} sends queued records before it forces. Default 30 s.
   *
   * @param timeout zero or positive
   * @return this builder
   */
  public B closeTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("closeTimeout must be zero or positive, was " + timeout);
    }
    this.closeTimeout = timeout;
    return self();
  }

  /**
   * Any Kafka producer property ({@code security.protocol}, {@code sasl.jaas.config}, {@code
   * ssl.truststore.location}, {@code linger.ms}, …), applied over logwait's defaults. The
   * serializers, {@code acks} and idempotence are fixed and cannot be overridden.
   *
   * @param key the producer property
   * @param value its value (not null)
   * @return this builder
   */
  public B producerProperty(String key, Object value) {
    Objects.requireNonNull(key, "producer property key");
    if (key.equals(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG)
        || key.equals(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG)
        || key.equals(ProducerConfig.ACKS_CONFIG)
        || key.equals(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)) {
      throw new IllegalArgumentException(
          "producer property "
              + key
              + " is fixed by logwait (acks=all, idempotence, byte"
              + " serializers) and cannot be overridden");
    }
    if (value == null) {
      throw new IllegalArgumentException("producer property " + key + " has no value");
    }
    producerOverrides.put(key, value);
    return self();
  }

  /**
   * Every entry of a map, as {@link #producerProperty}.
   *
   * @param props producer properties
   * @return this builder
   */
  public B producerProperties(Map<String, ?> props) {
    props.forEach(this::producerProperty);
    return self();
  }

  /**
   * Where the logger registers its meters (Micrometer): {@code meters(LoggerMeters.of(registry))}.
   *
   * @param meters the destination, or null for none
   * @return this builder
   */
  public B meters(LoggerMeters meters) {
    this.meterRegistry = meters == null ? null : meters.registry();
    return self();
  }

  /**
   * A Micrometer {@code MeterRegistry}, untyped.
   *
   * @param registry a {@code MeterRegistry}, or null for none
   * @return this builder
   * @throws IllegalArgumentException when it is not a {@code MeterRegistry}
   * @deprecated the compiler cannot check the argument; use {@link #meters meters(}{@link
   *     LoggerMeters#of LoggerMeters.of(registry))}
   */
  @Deprecated
  public B meterRegistry(Object registry) {
    if (registry != null && !isMeterRegistry(registry)) {
      throw new IllegalArgumentException(
          "meterRegistry must be an io.micrometer.core.instrument.MeterRegistry, was "
              + registry.getClass().getName());
    }
    this.meterRegistry = registry;
    return self();
  }

  /**
   * Whether the worker creates the schemas topic (compacted) when it is missing. Default true; turn
   * it off where the service has no right to create topics and operations made it.
   *
   * @param create whether to create it
   * @return this builder
   */
  public B createSchemasTopic(boolean create) {
    this.createSchemasTopic = create;
    return self();
  }

  /**
   * Records Kafka cannot take are dropped and counted (the default).
   *
   * @param overflow {@link Overflow#DROP}
   * @return this builder
   */
  public B overflow(Overflow overflow) {
    Objects.requireNonNull(overflow, "overflow");
    this.spoolDir = null;
    this.spoolMaxBytes = 0;
    return self();
  }

  /**
   * Records Kafka cannot take (broker unreachable, refused with an error a retry may cure, or the
   * producer {@code 16,384} records behind) are written to disk by the logger's worker, never by
   * the caller, and re-sent oldest first when Kafka takes records again, and on the next start of a
   * logger with the same directory. When the spool holds {@code maxBytes}, new records are dropped
   * and counted ({@code spoolDropped}); what it holds is kept. A record re-sent after an ambiguous
   * send may reach Kafka twice: the joiner keeps one copy per {@code prediction_id}.
   *
   * @param dir a directory only this logger uses; created if missing; checked at {@code build()}
   * @param maxBytes the disk budget, positive
   * @return this builder
   */
  public B spool(Path dir, long maxBytes) {
    Objects.requireNonNull(dir, "spool directory");
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("spool maxBytes must be positive, was " + maxBytes);
    }
    this.spoolDir = dir;
    this.spoolMaxBytes = maxBytes;
    return self();
  }

  /**
   * When spooled records are forced to disk ({@code fsync}): after {@code everyRecords} records, or
   * {@code every} after the first unsynced one, whichever comes first; and whenever a segment is
   * closed. Records are written to the file as they are spooled, so a killed process loses none of
   * them; a power loss or kernel crash loses at most the records since the last fsync (defaults:
   * {@value #DEFAULT_SPOOL_SYNC_RECORDS} records or 1 s).
   *
   * @param everyRecords at least 1 (1: every record, the safest and slowest)
   * @param every positive
   * @return this builder
   */
  public B spoolSync(int everyRecords, Duration every) {
    if (everyRecords < 1) {
      throw new IllegalArgumentException(
          "spoolSync everyRecords must be >= 1, was " + everyRecords);
    }
    if (every == null || every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("spoolSync every must be positive, was " + every);
    }
    this.spoolSyncRecords = everyRecords;
    this.spoolSyncInterval = every;
    return self();
  }

  LoggerSettings settings() {
    if (bootstrapServers == null) {
      throw new IllegalArgumentException("bootstrapServers is required");
    }
    if (topic.equals(schemasTopic)) {
      throw new IllegalArgumentException(
          "Cannot set topic and schemasTopic to the same topic (" + topic + ")");
    }
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, DEFAULT_COMPRESSION);
    props.put(ProducerConfig.LINGER_MS_CONFIG, DEFAULT_LINGER_MS);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, DEFAULT_BATCH_SIZE);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_MAX_BLOCK_MS);
    props.putAll(producerOverrides);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try {
      new ProducerConfig(props); // Kafka's own validation of every key and value
    } catch (ConfigException e) {
      throw new IllegalArgumentException("Invalid producer property: " + e.getMessage(), e);
    }
    return new LoggerSettings(
        topic,
        schemasTopic,
        clientId,
        Map.copyOf(props),
        queueCapacity,
        closeTimeout,
        createSchemasTopic,
        meterRegistry,
        spoolDir,
        spoolMaxBytes,
        new dev.logwait.logger.internal.Spool.Sync(spoolSyncRecords, spoolSyncInterval));
  }

  static String checkTopic(String setting, String topic) {
    if (topic == null
        || !TOPIC.matcher(topic).matches()
        || topic.equals(".")
        || topic.equals("..")) {
      throw new IllegalArgumentException(
          setting
              + " '"
              + topic
              + "' is not a valid Kafka topic name (letters, digits, '.', '_',"
              + " '-'; 1-249 chars)");
    }
    return topic;
  }

  private static boolean isMeterRegistry(Object o) {
    for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals("io.micrometer.core.instrument.MeterRegistry")) {
        return true;
      }
    }
    return false;
  }
}
