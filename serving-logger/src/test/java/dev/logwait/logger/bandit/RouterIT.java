package dev.logwait.logger.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logwait.logger.bandit.RouterStats.Ignored;
import dev.logwait.logger.bandit.RouterStats.Source;
import dev.logwait.schema.SingleObjectCodec;
import dev.logwait.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router reading its posteriors from a real broker (a container where Docker answers, else a
 * process), while a request thread keeps choosing: it must never see an exception.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RouterIT {
  @TempDir static Path dir;
  static KafkaBroker broker;
  static Admin admin;
  static KafkaProducer<byte[], byte[]> producer;

  final TestClock clock = new TestClock(Instant.now());
  Router router;
  RequestThread requests;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.start(dir.resolve("kafka"));
    admin = Admin.create(broker.clientProps());
    producer =
        new KafkaProducer<>(
            broker.clientProps(), new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterAll
  static void stopBroker() {
    if (producer != null) {
      producer.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (requests != null) {
      requests.stop();
    }
    if (router != null) {
      router.close();
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void createCompacted(String topic) throws Exception {
    admin
        .createTopics(
            List.of(
                new NewTopic(topic, 3, (short) 1)
                    .configs(
                        Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_COMPACT))))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  private static void publish(String topic, String key, byte[] value) throws Exception {
    producer
        .send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
        .get(30, TimeUnit.SECONDS);
  }

  private RouterPosterior posterior(String router, long snapshot, double rateA, double rateB) {
    return new RouterPosterior(
        router,
        clock.instant(),
        "logwait.training_layout",
        snapshot,
        clock.instant().minusSeconds(600),
        "click",
        RewardKind.BINARY,
        1.0,
        1.0,
        null,
        List.of(
            new ArmStatistics("a", 1000, 1000 * rateA, 1000 * rateA, 1000, 12),
            new ArmStatistics("b", 1000, 1000 * rateB, 1000 * rateB, 1000, 3)));
  }

  private RouterBuilder builder(String topic) {
    return Router.builder("layout")
        .arms("a", "b")
        .bootstrapServers(broker.bootstrapServers())
        .topic(topic)
        .clock(clock)
        .maxPosteriorAge(Duration.ofHours(1))
        .seed(5)
        .tick(Duration.ofMillis(100)); // the topic's partitions are checked every second
  }

  @Test
  void thePosteriorOnTheTopicIsPickedUp_thenGarbageIsCounted_thenADeletedTopicAgesIntoFallback()
      throws Exception {
    String topic = unique("posteriors");
    createCompacted(topic);
    publish(topic, "layout", posterior("layout", 1, 0.3, 0.1).encode()); // superseded below
    publish(topic, "ranker", posterior("ranker", 9, 0.1, 0.1).encode()); // another router's
    publish(topic, "layout", posterior("layout", 2, 0.3, 0.1).encode());

    router = builder(topic).build();
    requests = new RequestThread(router);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Long.valueOf(2).equals(router.stats().trainingSnapshot()));
    RouterStats s = router.stats();
    assertThat(s.source()).isEqualTo(Source.POSTERIOR);
    assertThat(s.shares().get("a"))
        .isCloseTo(0.995, org.assertj.core.api.Assertions.within(0x1p-31));
    assertThat(s.waiting()).containsEntry("a", 12L).containsEntry("b", 3L);
    assertThat(s.posteriorsIgnored().values()).allMatch(n -> n == 0);

    // a newer publication takes over
    publish(topic, "layout", posterior("layout", 3, 0.1, 0.3).encode());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Long.valueOf(3).equals(router.stats().trainingSnapshot()));
    assertThat(router.stats().shares().get("b"))
        .isCloseTo(0.995, org.assertj.core.api.Assertions.within(0x1p-31));

    // garbage and an unknown schema under the router's key: counted, the posterior stays
    publish(topic, "layout", "not a posterior".getBytes(StandardCharsets.UTF_8));
    byte[] unknown = new byte[30];
    SingleObjectCodec.writeHeader(unknown, 0, 0x0123_4567_89ab_cdefL);
    publish(topic, "layout", unknown);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> router.stats().posteriorsIgnored().get(Ignored.UNKNOWN_FINGERPRINT) == 1);
    s = router.stats();
    assertThat(s.posteriorsIgnored()).containsEntry(Ignored.UNDECODABLE, 1L);
    assertThat(s.source()).isEqualTo(Source.POSTERIOR);
    assertThat(s.trainingSnapshot()).isEqualTo(3L);

    // the topic is deleted: noticed and counted, the posterior is used until it is too old
    long errorsBefore = s.readerErrors();
    admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> router.stats().readerErrors() > errorsBefore);
    assertThat(router.stats().source()).isEqualTo(Source.POSTERIOR);
    clock.advance(Duration.ofHours(2));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> router.stats().source() == Source.FALLBACK_STALE);
    s = router.stats();
    assertThat(s.staleFallbacks()).isEqualTo(1);
    assertThat(s.shares()).containsEntry("a", 0.5).containsEntry("b", 0.5);
    long fallbackBefore = s.fallbackChoices();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> router.stats().fallbackChoices() > fallbackBefore);
    assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
        .as("the router never creates the topic again")
        .doesNotContain(topic);
    assertThat(requests.stop()).as("choices made while all that happened").isPositive();
  }

  @Test
  void aRouterOnAMissingTopicChoosesByItsFallbackWeightsAndReadsTheTopicOnceItExists()
      throws Exception {
    String topic = unique("not-yet");
    router = builder(topic).fallbackWeights(Map.of("a", 3.0, "b", 1.0)).build();
    requests = new RequestThread(router);
    await().atMost(Duration.ofSeconds(60)).until(() -> router.stats().readerErrors() > 0);
    RouterStats s = router.stats();
    assertThat(s.source()).isEqualTo(Source.FALLBACK_NO_POSTERIOR);
    assertThat(s.shares().get("a"))
        .isCloseTo(0.005 + 0.99 * 0.75, org.assertj.core.api.Assertions.within(0x1p-31));
    assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain(topic);

    createCompacted(topic);
    publish(topic, "layout", posterior("layout", 7, 0.1, 0.3).encode());
    await().atMost(Duration.ofSeconds(60)).until(() -> router.stats().source() == Source.POSTERIOR);
    assertThat(router.stats().trainingSnapshot()).isEqualTo(7L);
    assertThat(requests.stop()).isPositive();
    assertThat(router.stats().fallbackChoices()).isPositive();
  }

  @Test
  void anUnreachableBrokerIsCountedAndNeverReachesTheRequestThread() throws Exception {
    router =
        Router.builder("layout")
            .arms("a", "b")
            .bootstrapServers("127.0.0.1:1")
            .consumerProperty("request.timeout.ms", 1000)
            .consumerProperty("default.api.timeout.ms", 1000)
            .tick(Duration.ofMillis(100))
            .build();
    requests = new RequestThread(router);
    await().atMost(Duration.ofSeconds(60)).until(() -> router.stats().readerErrors() > 0);
    assertThat(router.stats().source()).isEqualTo(Source.FALLBACK_NO_POSTERIOR);
    assertThat(requests.stop()).isPositive();
  }

  /** A request thread that chooses until stopped; any throwable it meets fails the test. */
  static final class RequestThread {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong choices = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    RequestThread(Router router) {
      Set<String> arms = Set.copyOf(router.arms());
      thread =
          new Thread(
              () -> {
                try {
                  while (running.get()) {
                    long c = router.choose();
                    if (!arms.contains(router.arm(c)) || !(router.propensity(c) > 0)) {
                      throw new AssertionError("choice " + Long.toHexString(c));
                    }
                    if (choices.incrementAndGet() % 1024 == 0) {
                      // a request rate, not a spin: the broker and the reader share two cores
                      java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                    }
                  }
                } catch (Throwable t) {
                  failure.set(t);
                }
              },
              "request-thread");
      thread.setDaemon(true);
      thread.start();
    }

    long stop() throws InterruptedException {
      running.set(false);
      thread.join(10_000);
      assertThat(failure.get()).as("what the request thread met").isNull();
      return choices.get();
    }
  }
}
