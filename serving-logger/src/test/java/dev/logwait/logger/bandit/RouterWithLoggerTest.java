package dev.logwait.logger.bandit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.logger.bandit.RouterStats.Ignored;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.SchemaStore;
import dev.logwait.schema.SingleObjectCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** A router's choices logged by the real logger (on Kafka's MockProducer), and its meters. */
class RouterWithLoggerTest {
  static final FeatureSet FEATURES = FeatureSet.builder("page", 1).addDouble("x").build();

  @Test
  void theLoggedActionAndPropensityAreTheChoicesExactly() {
    MockProducer<byte[], byte[]> mock =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    Map<String, Double> propensityById = new HashMap<>();
    Map<String, String> armById = new HashMap<>();
    try (Router router = Router.builder("layout").arms("grid", "list", "carousel").seed(1).build();
        PredictionLogger logger =
            PredictionLogger.builder()
                .bootstrapServers("127.0.0.1:1")
                .createSchemasTopic(false)
                .topic("preds")
                .build(p -> mock)) {
      router.update(
          RouterPosterior.of(
              "layout",
              RewardKind.BINARY,
              new ArmStatistics("grid", 500, 50, 50, 500, 0),
              new ArmStatistics("list", 500, 55, 55, 500, 0),
              new ArmStatistics("carousel", 20, 1, 1, 20, 0)));
      for (int i = 0; i < 2_000; i++) {
        long choice = router.choose();
        Prediction p = logger.prediction(FEATURES, "layout-model", "v1").set("x", 1.0);
        router.apply(choice, p).score(0.3); // the score stays the service's
        logger.log(p);
        propensityById.put(p.predictionId(), router.propensity(choice));
        armById.put(p.predictionId(), router.arm(choice));
      }
      assertThat(logger.flush(Duration.ofSeconds(30))).isTrue();
      Map<String, Double> shares = router.stats().shares();
      SchemaStore store = new SchemaStore();
      store.add(FEATURES.writerSchema());
      int decoded = 0;
      for (ProducerRecord<byte[], byte[]> r : mock.history()) {
        if (!r.topic().equals("preds")) {
          continue;
        }
        GenericRecord g = SingleObjectCodec.decode(r.value(), store);
        String id = g.get("prediction_id").toString();
        String action = g.get("action").toString();
        assertThat(action).isEqualTo(armById.get(id));
        assertThat((Double) g.get("propensity"))
            .isEqualTo(propensityById.get(id))
            .isEqualTo(shares.get(action))
            .isNotEqualTo(1.0 / 3);
        assertThat(g.get("prediction")).isEqualTo(0.3);
        decoded++;
      }
      assertThat(decoded).isEqualTo(2_000);
    }
  }

  @Test
  void metersReadTheRoutersCounters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Router router =
        Router.builder("layout").arms("a", "b").meters(RouterMeters.of(registry)).build()) {
      for (int i = 0; i < 10; i++) {
        router.choose();
      }
      router.update(new byte[] {1});
      router.update(
          new RouterPosterior(
              "layout",
              Instant.now(),
              "t",
              1,
              null,
              "click",
              RewardKind.BINARY,
              1,
              1,
              null,
              List.of(new ArmStatistics("a", 10, 1, 1, 10, 4))));
      double a = registry.get("logwait.router.choices").tag("arm", "a").functionCounter().count();
      double b = registry.get("logwait.router.choices").tag("arm", "b").functionCounter().count();
      assertThat(a + b).isEqualTo(10.0);
      assertThat(registry.get("logwait.router.fallback_choices").functionCounter().count())
          .isEqualTo(10.0);
      assertThat(
              registry
                  .get("logwait.router.posteriors_ignored")
                  .tag("reason", Ignored.UNDECODABLE.name())
                  .functionCounter()
                  .count())
          .isEqualTo(1.0);
      assertThat(registry.get("logwait.router.posteriors_received").functionCounter().count())
          .isEqualTo(2.0);
      assertThat(registry.get("logwait.router.fallback").gauge().value()).isZero();
      assertThat(registry.get("logwait.router.waiting").tag("arm", "a").gauge().value())
          .isEqualTo(4.0);
      double shareA = registry.get("logwait.router.share").tag("arm", "a").gauge().value();
      assertThat(shareA).isEqualTo(router.stats().shares().get("a"));
      assertThat(registry.get("logwait.router.posterior_age_seconds").gauge().value())
          .isBetween(0.0, 60.0);
    }
  }
}
