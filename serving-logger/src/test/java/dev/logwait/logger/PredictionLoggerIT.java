package dev.logwait.logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.SchemaStore;
import dev.logwait.schema.SchemaTopic;
import dev.logwait.schema.SingleObjectCodec;
import dev.logwait.testkit.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The logger against a real Kafka broker (a container where Docker answers, else a process). */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PredictionLoggerIT {
  @TempDir static Path dir;
  static KafkaBroker broker;

  static final FeatureSet FEATURES =
      FeatureSet.builder("ctr", 1)
          .addDoubles("x", 20)
          .addString("country")
          .addFloatVector("emb")
          .addLong("clicks")
          .build();

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start(dir.resolve("kafka"));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  void hundredThousandPredictionsComeBackDecodedEqual() {
    String topic = unique("preds");
    String schemas = unique("schemas");
    broker.createTopics(3, topic);
    int n = 100_000;
    Map<String, Double> expectedScore = new HashMap<>(n * 2);
    try (PredictionLogger logger =
        PredictionLogger.builder()
            .bootstrapServers(broker.bootstrapServers())
            .topic(topic)
            .schemasTopic(schemas)
            .queueCapacity(1 << 17)
            .build()) {
      for (int i = 0; i < n; i++) {
        Prediction p = logger.prediction(FEATURES, "ctr-model", "v1");
        for (int f = 0; f < 20; f++) {
          p.set(f, i * 0.5 + f);
        }
        p.set("country", i % 2 == 0 ? "de" : "fr")
            .set("emb", new float[] {i, -i})
            .set("clicks", (long) i)
            .entity("user_id", "u" + (i % 1000))
            .score(i / (double) n);
        assertThat(logger.log(p)).isTrue();
        expectedScore.put(p.predictionId(), i / (double) n);
      }
      assertThat(logger.flush(Duration.ofSeconds(120))).isTrue();
      LoggerStats s = logger.stats();
      assertThat(s.logged()).isEqualTo(n);
      assertThat(s.sent()).isEqualTo(n);
      assertThat(s.failed()).isZero();
      assertThat(s.dropped()).isZero();
      assertThat(s.inFlight()).isZero();
      assertThat(s.schemasPublished()).isEqualTo(1);
    }

    SchemaTopic.Contents contents =
        SchemaTopic.readAll(broker.clientProps(), schemas, Duration.ofSeconds(30));
    assertThat(contents.rejected()).isEmpty();
    assertThat(contents.schemas()).containsKey(FEATURES.fingerprint());
    SchemaStore store = new SchemaStore().addAll(contents.schemas().values());

    List<ConsumerRecord<byte[], byte[]>> records = consumeAll(topic, n);
    assertThat(records).hasSize(n);
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      GenericRecord g = SingleObjectCodec.decode(r.value(), store);
      String id = g.get("prediction_id").toString();
      assertThat(new String(r.key())).isEqualTo(id);
      assertThat(seen.add(id)).as("duplicate %s", id).isTrue();
      double score = (Double) g.get("prediction");
      assertThat(score).isEqualTo(expectedScore.get(id));
      int i = (int) Math.round(score * n);
      GenericRecord f = (GenericRecord) g.get("features");
      assertThat(f.get("x7")).isEqualTo(i * 0.5 + 7);
      assertThat(f.get("clicks")).isEqualTo((long) i);
      assertThat(f.get("country").toString()).isEqualTo(i % 2 == 0 ? "de" : "fr");
      assertThat(g.get("entity_keys").toString()).isEqualTo("{user_id=u" + (i % 1000) + "}");
    }
    assertThat(seen).isEqualTo(expectedScore.keySet());
  }

  @Test
  void anUnreachableBrokerNeverBlocksTheCallerAndEveryRecordIsCounted() throws Exception {
    int deadPort;
    try (var socket = new java.net.ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    PredictionLogger logger =
        PredictionLogger.builder()
            .bootstrapServers("127.0.0.1:" + deadPort)
            .topic(unique("nowhere"))
            .createSchemasTopic(false)
            .queueCapacity(1024)
            .producerProperty("max.block.ms", 60_000)
            .build();
    int n = 5_000;
    int accepted = 0;
    for (int i = 0; i < n; i++) {
      if (logger.log(logger.prediction(FEATURES, "ctr-model", "v1").score(i))) {
        accepted++;
      }
    }
    // Every call returned although the worker is stuck waiting for metadata for up to 60 s.
    LoggerStats during = logger.stats();
    assertThat(during.sent()).isZero();
    assertThat(during.logged()).isEqualTo(accepted);
    assertThat(during.dropped()).isEqualTo(n - accepted);
    logger.close(Duration.ofSeconds(1));
    LoggerStats after = logger.stats();
    assertThat(after.logged() + after.dropped()).isEqualTo(n);
    assertThat(after.sent()).isZero();
    assertThat(after.failed()).isEqualTo(after.logged());
    assertThat(after.inFlight()).isZero();
    assertThat(after.failedBy()).isNotEmpty();
  }

  @Test
  void aBrokerRestartLosesNothingCountedAsSent() throws Exception {
    String topic = unique("restart");
    String schemas = unique("schemas");
    broker.createTopics(1, topic);
    Set<String> logged = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    PredictionLogger logger =
        PredictionLogger.builder()
            .bootstrapServers(broker.bootstrapServers())
            .topic(topic)
            .schemasTopic(schemas)
            .queueCapacity(4096)
            .producerProperty("delivery.timeout.ms", 30_000)
            .producerProperty("request.timeout.ms", 5_000)
            .producerProperty("max.block.ms", 2_000)
            .build();
    Thread caller =
        new Thread(
            () -> {
              while (!stop.get()) {
                Prediction p = logger.prediction(FEATURES, "ctr-model", "v1");
                String id = p.predictionId();
                if (logger.log(p)) {
                  logged.add(id);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(100_000); // ~5-10k/s
              }
            });
    caller.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> logger.stats().sent() > 2_000);
    broker.stop();
    long sentBefore = logger.stats().sent();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> logger.stats().logged() > sentBefore + 2_000);
    broker.start();
    long loggedAtRestart = logger.stats().logged();
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> logger.stats().sent() > loggedAtRestart + 1_000);
    stop.set(true);
    caller.join();
    logger.close(Duration.ofSeconds(60));
    LoggerStats s = logger.stats();
    assertThat(s.logged()).isEqualTo(s.sent() + s.failed());
    assertThat(s.logged()).isEqualTo(logged.size());

    List<ConsumerRecord<byte[], byte[]>> records = consumeAll(topic, (int) s.sent());
    Set<String> inTopic = new HashSet<>();
    records.forEach(r -> inTopic.add(new String(r.key())));
    // Everything counted as sent is in the topic; with idempotence, no duplicates either.
    assertThat(records).hasSize(inTopic.size());
    assertThat(inTopic).isSubsetOf(logged);
    assertThat((long) inTopic.size()).isGreaterThanOrEqualTo(s.sent());
  }

  private static List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic, int atLeast) {
    Map<String, Object> props = new HashMap<>(broker.clientProps());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts);
      long total = end.values().stream().mapToLong(Long::longValue).sum();
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> {
                c.poll(Duration.ofMillis(500)).forEach(out::add);
                return out.size() >= total;
              });
      assertThat(total).isGreaterThanOrEqualTo(atLeast);
    }
    return out;
  }
}
