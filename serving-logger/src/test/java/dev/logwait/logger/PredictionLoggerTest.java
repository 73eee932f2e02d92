package dev.logwait.logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.IncompatibleSchemaException;
import dev.logwait.schema.SchemaStore;
import dev.logwait.schema.SchemaTopic;
import dev.logwait.schema.SingleObjectCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/** The logger's logic on Kafka's own MockProducer; the real broker is in the *IT tests. */
class PredictionLoggerTest {
  static final FeatureSet ALL =
      FeatureSet.builder("everything", 1)
          .addDouble("d")
          .addFloat("f")
          .addLong("l")
          .addInt("i")
          .addBoolean("b")
          .addString("s")
          .addFloatVector("fv")
          .addDoubleVector("dv")
          .addSparse("sp")
          .build();

  private final MockProducer<byte[], byte[]> mock =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

  private PredictionLogger.Builder builder() {
    return PredictionLogger.builder()
        .bootstrapServers("127.0.0.1:1")
        .createSchemasTopic(false)
        .topic("preds");
  }

  @Test
  void encodesEveryFieldTypeSoThatAvroDecodesItEqual() {
    try (PredictionLogger logger = builder().build(p -> mock)) {
      Prediction p =
          logger
              .prediction(ALL, "ctr", "v1")
              .predictionId("p-1")
              .requestId("r-9")
              .servedAtMicros(1_700_000_000_123_456L)
              .entity("user_id", "u1")
              .entity("item_id", "i2")
              .score(0.75)
              .propensity(0.5)
              .action("show")
              .set("d", 1.25)
              .set("f", 2.5)
              .set("l", Long.MIN_VALUE)
              .set("i", 42L)
              .set("b", true)
              .set("s", "zürich")
              .set("fv", new float[] {1f, -2f})
              .set("dv", new double[] {3.0})
              .set("sp", Map.of("k", 9.0));
      assertThat(logger.log(p)).isTrue();
      assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
    }
    List<ProducerRecord<byte[], byte[]>> sent = mock.history();
    ProducerRecord<byte[], byte[]> schemaRecord = sent.get(0);
    assertThat(schemaRecord.topic()).isEqualTo(SchemaTopic.DEFAULT_TOPIC);
    assertThat(new String(schemaRecord.key())).isEqualTo(SchemaTopic.key(ALL.fingerprint()));
    ProducerRecord<byte[], byte[]> r = sent.get(1);
    assertThat(r.topic()).isEqualTo("preds");
    assertThat(new String(r.key())).isEqualTo("p-1");
    SchemaStore store = new SchemaStore();
    store.add(ALL.writerSchema());
    GenericRecord g = SingleObjectCodec.decode(r.value(), store);
    assertThat(g.get("prediction_id")).hasToString("p-1");
    assertThat(g.get("request_id")).hasToString("r-9");
    assertThat(g.get("served_at")).isEqualTo(1_700_000_000_123_456L);
    assertThat(g.get("model_name")).hasToString("ctr");
    assertThat(g.get("model_version")).hasToString("v1");
    assertThat(g.get("entity_keys").toString()).contains("user_id=u1", "item_id=i2");
    assertThat(g.get("prediction")).isEqualTo(0.75);
    assertThat(g.get("propensity")).isEqualTo(0.5);
    assertThat(g.get("action")).hasToString("show");
    assertThat(g.get("sample_rate")).isEqualTo(1.0);
    GenericRecord f = (GenericRecord) g.get("features");
    assertThat(f.get("d")).isEqualTo(1.25);
    assertThat(f.get("f")).isEqualTo(2.5f);
    assertThat(f.get("l")).isEqualTo(Long.MIN_VALUE);
    assertThat(f.get("i")).isEqualTo(42);
    assertThat(f.get("b")).isEqualTo(true);
    assertThat(f.get("s")).hasToString("zürich");
    assertThat(f.get("fv")).asInstanceOf(InstanceOfAssertFactories.LIST).containsExactly(1f, -2f);
    assertThat(f.get("dv")).asInstanceOf(InstanceOfAssertFactories.LIST).containsExactly(3.0);
    assertThat(f.get("sp").toString()).isEqualTo("{k=9.0}");
  }

  @Test
  void unsetFeaturesAndAnUnsetScoreAreLoggedAsMissingAndCounted() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (PredictionLogger logger =
        builder().clientId("svc").meters(LoggerMeters.of(registry)).build(p -> mock)) {
      Prediction p = logger.prediction(ALL, "ctr", "v1");
      String id = p.predictionId();
      assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
      p.set("d", 1.0).set("i", 3L).set("fv", new float[] {1f}).set("s", (String) null);
      assertThat(logger.log(p)).as("logged, with the unset ones as missing").isTrue();
      assertThat(logger.flush(Duration.ofSeconds(10))).isTrue();
      GenericRecord g = decode(mock.history().get(1).value());
      assertThat(g.get("prediction_id")).hasToString(id);
      assertThat(g.get("request_id")).isNull();
      assertThat(g.get("propensity")).isNull();
      assertThat(g.get("prediction")).as("a score never set is not 0.0").isNull();
      // f, l, b, s (set to null), dv, sp: positions in the features record's field order
      assertThat(g.get("unset_features")).isEqualTo(List.of(1, 2, 4, 5, 7, 8));
      LoggerStats s = logger.stats();
      assertThat(s.withUnsetFeatures()).isEqualTo(1);
      assertThat(s.withoutScore()).isEqualTo(1);
      assertThat(s.refusedUnset()).isZero();
      assertThat(s.sent()).isEqualTo(1);
      assertThat(
              registry
                  .get("logwait.logger.with_unset_features")
                  .tag("client_id", "svc")
                  .functionCounter()
                  .count())
          .isEqualTo(1.0);
      assertThat(registry.get("logwait.logger.without_score").functionCounter().count())
          .isEqualTo(1.0);
    }
  }

  @Test
  void aPredictionWithEverythingSetHasNoUnsetFeaturesAndIsNotCounted() {
    FeatureSet wide = FeatureSet.builder("wide", 1).addDoubles("x", 130).build();
    try (PredictionLogger logger = builder().build(p -> mock)) {
      Prediction complete = logger.prediction(wide, "m", "1").score(0.0);
      Prediction gaps = logger.prediction(wide, "m", "1").score(0.5);
      for (int i = 0; i < 130; i++) {
        complete.set(i, (double) i);
        if (i != 63 && i != 64 && i != 129) {
          gaps.set(i, (double) i);
        }
      }
      logger.log(complete);
      logger.log(gaps);
      logger.flush(Duration.ofSeconds(10));
      assertThat(decode(wide, mock.history().get(1).value()).get("unset_features")).isNull();
      assertThat(decode(wide, mock.history().get(1).value()).get("prediction")).isEqualTo(0.0);
      assertThat(decode(wide, mock.history().get(2).value()).get("unset_features"))
          .isEqualTo(List.of(63, 64, 129));
      assertThat(logger.stats().withUnsetFeatures()).isEqualTo(1);
      assertThat(logger.stats().withoutScore()).isZero();
    }
  }

  @Test
  void aLoggerThatRefusesUnsetValuesRefusesAndCountsThem() {
    FeatureSet two = FeatureSet.builder("two", 1).addDouble("a").addString("b").build();
    try (PredictionLogger logger = builder().unsetPolicy(UnsetPolicy.REFUSE).build(p -> mock)) {
      assertThat(logger.log(logger.prediction(two, "m", "1").set("a", 1.0).score(1)))
          .as("b unset")
          .isFalse();
      assertThat(logger.log(logger.prediction(two, "m", "1").set("a", 1.0).set("b", "x")))
          .as("no score")
          .isFalse();
      assertThat(logger.log(logger.prediction(two, "m", "1").set("a", 1.0).set("b", "x").score(1)))
          .isTrue();
      logger.flush(Duration.ofSeconds(10));
      LoggerStats s = logger.stats();
      assertThat(s.refusedUnset()).isEqualTo(2);
      assertThat(s.logged()).isEqualTo(1);
      assertThat(s.sent()).isEqualTo(1);
      assertThat(s.withUnsetFeatures()).isZero();
    }
  }

  @Test
  void aFeatureSetOfARegisteredNameAndVersionWithOtherFieldsIsRefusedAtUse() {
    FeatureSet registered = FeatureSet.builder("ranker", 1).addDouble("a").build();
    FeatureSet impostor = FeatureSet.builder("ranker", 1).addDouble("a").addString("b").build();
    FeatureSet sameAgain = FeatureSet.builder("ranker", 1).addDouble("a").build();
    FeatureSet narrowing = FeatureSet.builder("ranker", 2).addString("a").build();
    try (PredictionLogger logger = builder().build(p -> mock)) {
      logger.register(registered);
      assertThatThrownBy(() -> logger.prediction(impostor, "m", "1"))
          .isInstanceOf(IncompatibleSchemaException.class)
          .hasMessageContaining("Feature set ranker version 1 is already registered")
          .hasMessageContaining("declare a new version");
      assertThat(logger.log(logger.prediction(sameAgain, "m", "1").set(0, 1.0).score(1)))
          .as("an equal declaration is the same feature set")
          .isTrue();
      // never registered: checked against the versions known at its first use
      assertThatThrownBy(() -> logger.prediction(narrowing, "m", "1"))
          .isInstanceOf(IncompatibleSchemaException.class)
          .hasMessageContaining("changes field 'a' from DOUBLE (version 1) to STRING");
      logger.flush(Duration.ofSeconds(10));
      assertThat(logger.stats().logged()).isEqualTo(1);
    }
    try (PredictionLogger fresh = builder().build(p -> mock)) {
      fresh.prediction(impostor, "m", "1"); // the first use registers it in this logger
      assertThatThrownBy(() -> fresh.prediction(registered, "m", "1"))
          .hasMessageContaining("already registered with different fields");
    }
  }

  private static GenericRecord decode(byte[] value) {
    return decode(ALL, value);
  }

  private static GenericRecord decode(FeatureSet set, byte[] value) {
    SchemaStore store = new SchemaStore();
    store.add(set.writerSchema());
    return SingleObjectCodec.decode(value, store);
  }

  @Test
  void theIdAskedForAfterLogIsTheOneLogged() {
    MockProducer<byte[], byte[]> manual =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    try (PredictionLogger logger = builder().closeTimeout(Duration.ZERO).build(p -> manual)) {
      logger.log(logger.prediction(ALL, "ctr", "v1")); // the worker waits on its schema's ack
      org.awaitility.Awaitility.await().until(() -> manual.history().size() == 1);
      Prediction p = logger.prediction(ALL, "ctr", "v1");
      logger.log(p);
      String id = p.predictionId(); // as the README shows: log, then return the id
      manual.completeNext();
      org.awaitility.Awaitility.await().until(() -> manual.history().size() == 3);
      assertThat(new String(manual.history().get(2).key())).isEqualTo(id);
    }
  }

  @Test
  void generatedIdsAreTimeOrderedAndUnique() {
    try (PredictionLogger logger = builder().build(p -> mock)) {
      String previous = "";
      java.util.Set<String> ids = new java.util.HashSet<>();
      for (int i = 0; i < 2000; i++) {
        Prediction p = logger.prediction(ALL, "ctr", "v1");
        p.ensureId();
        String id = p.idString();
        assertThat(id.substring(0, 13)).isGreaterThanOrEqualTo(previous);
        previous = id.substring(0, 13);
        ids.add(id);
      }
      assertThat(ids).hasSize(2000);
    }
  }

  @Test
  void samplingHonoursTheRateWithinStatisticalBounds() {
    int n = 100_000;
    double rate = 0.3;
    try (PredictionLogger logger =
        builder().sampleRate("ctr", rate).defaultSampleRate(1.0).build(p -> mock)) {
      int kept = 0;
      for (int i = 0; i < n; i++) {
        Prediction p = logger.prediction(ALL, "ctr", "v1");
        if (!p.isSampledOut()) {
          kept++;
          assertThat(p.sampleRate()).isEqualTo(rate);
        }
      }
      double sigma = Math.sqrt(n * rate * (1 - rate));
      assertThat((double) kept).isBetween(n * rate - 5 * sigma, n * rate + 5 * sigma);
      assertThat(logger.stats().sampledOut()).isEqualTo(n - kept);
      assertThat(logger.prediction(ALL, "other", "v1").isSampledOut()).isFalse();
    }
    try (PredictionLogger none = builder().sampleRate("ctr", 0.0).build(p -> mock)) {
      Prediction p = none.prediction(ALL, "ctr", "v1");
      assertThat(p.isSampledOut()).isTrue();
      assertThat(p.set("d", 1.0).predictionId()).isNull();
      assertThat(none.log(p)).isFalse();
      assertThat(none.stats().logged()).isZero();
    }
  }

  @Test
  void aFullQueueDropsAndCountsWithoutBlocking() {
    MockProducer<byte[], byte[]> manual =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    try (PredictionLogger logger =
        builder().queueCapacity(16).closeTimeout(Duration.ZERO).build(p -> manual)) {
      int accepted = 0;
      for (int i = 0; i < 10_000; i++) {
        if (logger.log(logger.prediction(ALL, "ctr", "v1"))) {
          accepted++;
        }
      }
      LoggerStats s = logger.stats();
      assertThat(s.logged()).isEqualTo(accepted);
      assertThat(s.dropped()).isEqualTo(10_000 - accepted).isPositive();
      logger.close(Duration.ZERO);
      LoggerStats after = logger.stats();
      assertThat(after.logged()).isEqualTo(after.sent() + after.failed());
      assertThat(after.inFlight()).isZero();
    }
  }

  @Test
  void brokerErrorsAreCountedByClass() {
    MockProducer<byte[], byte[]> manual =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    try (PredictionLogger logger = builder().closeTimeout(Duration.ZERO).build(p -> manual)) {
      logger.log(logger.prediction(ALL, "ctr", "v1"));
      logger.log(logger.prediction(ALL, "ctr", "v1"));
      org.awaitility.Awaitility.await().until(() -> manual.history().size() == 1);
      assertThat(manual.completeNext()).isTrue(); // the schema, awaited before any record
      org.awaitility.Awaitility.await().until(() -> manual.history().size() == 3);
      manual.errorNext(new org.apache.kafka.common.errors.RecordTooLargeException("big"));
      manual.completeNext();
      assertThat(logger.flush(Duration.ofSeconds(5))).isTrue();
      LoggerStats s = logger.stats();
      assertThat(s.sent()).isEqualTo(1);
      assertThat(s.failed()).isEqualTo(1);
      assertThat(s.failedBy()).containsEntry("RecordTooLargeException", 1L);
    }
  }

  @Test
  void closeIsIdempotentAndLaterRecordsAreDroppedAndCounted() {
    PredictionLogger logger = builder().build(p -> mock);
    logger.log(logger.prediction(ALL, "ctr", "v1"));
    logger.close();
    logger.close();
    assertThat(logger.log(logger.prediction(ALL, "ctr", "v1"))).isFalse();
    LoggerStats s = logger.stats();
    assertThat(s.logged()).isEqualTo(1);
    assertThat(s.sent()).isEqualTo(1);
    assertThat(s.dropped()).isEqualTo(1);
  }

  @Test
  void aLoggedPredictionCannotBeChangedOrLoggedTwice() {
    try (PredictionLogger logger = builder().build(p -> mock)) {
      Prediction p = logger.prediction(ALL, "ctr", "v1");
      assertThat(logger.log(p)).isTrue();
      assertThat(logger.log(p)).isFalse();
      assertThatThrownBy(() -> p.set("d", 2.0)).hasMessageContaining("already logged");
    }
  }

  @Test
  void settersNameTheFeatureWhenTheTypeIsWrong() {
    try (PredictionLogger logger = builder().build(p -> mock)) {
      Prediction p = logger.prediction(ALL, "ctr", "v1");
      assertThatThrownBy(() -> p.set("nope", 1.0))
          .hasMessageContaining("has no feature named 'nope'");
      assertThatThrownBy(() -> p.set("s", 1.0)).hasMessageContaining("'s' is STRING, not a number");
      assertThatThrownBy(() -> p.set("i", 1.5)).hasMessageContaining("1.5 is not whole");
      assertThatThrownBy(() -> p.set("i", 1L << 40)).hasMessageContaining("does not fit");
      assertThatThrownBy(() -> p.set("d", "x")).hasMessageContaining("'d' is DOUBLE, not STRING");
    }
  }

  @Test
  void registersMetersWhenARegistryIsGiven() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (PredictionLogger logger =
        builder().clientId("svc").meters(LoggerMeters.of(registry)).build(p -> mock)) {
      logger.log(logger.prediction(ALL, "ctr", "v1"));
      logger.flush(Duration.ofSeconds(5));
      assertThat(
              registry.get("logwait.logger.sent").tag("client_id", "svc").functionCounter().count())
          .isEqualTo(1.0);
      assertThat(registry.get("logwait.logger.in_flight").gauge().value()).isZero();
    }
  }

  @Test
  void labelsEncodeInTheShippedLayout() {
    try (LabelLogger labels =
        LabelLogger.builder().bootstrapServers("127.0.0.1:1").build(p -> mock)) {
      labels.log(Label.forPrediction("p-1", "click", 1.0, 77L));
      labels.log(Label.of("e-2", "delivery_minutes", 31.5, 88L, Map.of("order_id", "o-5")));
      labels.flush(Duration.ofSeconds(5));
    }
    SchemaStore store = SchemaStore.shipped();
    GenericRecord click = SingleObjectCodec.decode(mock.history().get(0).value(), store);
    assertThat(click.get("prediction_id")).hasToString("p-1");
    assertThat(click.get("occurred_at")).isEqualTo(77L);
    assertThat(new String(mock.history().get(0).key())).isEqualTo("p-1");
    GenericRecord delivery = SingleObjectCodec.decode(mock.history().get(1).value(), store);
    assertThat(delivery.get("event_id")).hasToString("e-2");
    assertThat(delivery.get("entity_keys").toString()).isEqualTo("{order_id=o-5}");
    assertThatThrownBy(() -> Label.of(null, "x", 1, 1, Map.of()))
        .hasMessageContaining("names neither a prediction id nor entity keys");
    java.time.Instant at = java.time.Instant.parse("1970-01-01T00:00:00.000077Z");
    assertThat(Label.forPrediction("p-1", "click", 1.0, at).occurredAtMicros()).isEqualTo(77L);
    Label built =
        Label.builder("delivery_minutes")
            .entity("order_id", "o-5")
            .value(31.5)
            .occurredAt(at)
            .eventId("e-2")
            .build();
    assertThat(built)
        .isEqualTo(
            new Label("e-2", "delivery_minutes", 31.5, 77L, null, Map.of("order_id", "o-5")));
    assertThatThrownBy(() -> Label.builder("click").predictionId("p").build())
        .hasMessageContaining("Label click has no time: set occurredAt(Instant)");
  }
}
