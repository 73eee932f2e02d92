package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.LoggerStats;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.LogwaitSchemas;
import dev.logwait.schema.SchemaTopic;
import dev.logwait.schema.SingleObjectCodec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A feature or score the service never set is missing, not a value: the real logger records which
 * (envelope v2's {@code unset_features}, a null score), and the training table shows null for
 * exactly those; a message from a logger of the first envelope version still reads as before.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class UnsetFeaturesIT {
  static final long T0 = Traffic.T0;
  static final long SEC = Traffic.SEC;

  @Test
  void unsetFeaturesAndScoresAreNullInTheTrainingTable() throws Exception {
    Scenario s = new Scenario("unset", 1, 1, Traffic.LABELS);
    LoggerStats stats;
    try (PredictionLogger logger = s.predictionLogger().build()) {
      logger.log(full(logger, "p-all").score(0.4));
      logger.log(xs(logger, "p-country").score(0.5)); // country never set
      logger.log(full(logger, "p-score")); // no score
      var p = logger.prediction(Traffic.FS, "a", "1").predictionId("p-x").servedAtMicros(T0);
      for (int k = 0; k < 10; k++) {
        if (k != 3 && k != 7) {
          p.set(k, k / 10.0);
        }
      }
      logger.log(p.set("country", "fr").score(0.6));
      logger.flush(Duration.ofMinutes(1));
      stats = logger.stats();
    }
    assertThat(stats.withUnsetFeatures()).isEqualTo(2);
    assertThat(stats.withoutScore()).isEqualTo(1);
    sendFirstEnvelopeVersion(s, "p-v1");
    try (LabelLogger labels = s.labelLogger()) {
      labels.log(Label.of("hb", "heartbeat", 0, T0 + 7200 * SEC, Map.of("hb", "1")));
      labels.flush(Duration.ofMinutes(1));
    }
    assertThat(s.run().counts()).containsEntry("finalized", 5L).containsEntry("quarantined", 0L);

    var rows = s.rows("training_traffic", "prediction_id");
    assertThat(rows.get("p-all")).containsEntry("country", "de").containsEntry("x3", 0.3);
    assertThat(rows.get("p-all")).containsEntry("prediction", 0.4);
    assertThat(rows.get("p-country")).containsEntry("country", null).containsEntry("x0", 0.0);
    assertThat(rows.get("p-score")).containsEntry("prediction", null).containsEntry("x9", 0.9);
    assertThat(rows.get("p-x"))
        .containsEntry("x3", null)
        .containsEntry("x7", null)
        .containsEntry("x2", 0.2)
        .containsEntry("country", "fr");
    assertThat(rows.get("p-v1"))
        .containsEntry("country", "nl")
        .containsEntry("prediction", 0.7)
        .containsEntry("x5", 0.5);
    assertThat(s.rows("training_traffic", "prediction_id").get("p-all"))
        .doesNotContainKey("unset_features");
  }

  private static dev.logwait.logger.Prediction full(PredictionLogger logger, String id) {
    return xs(logger, id).set("country", "de");
  }

  private static dev.logwait.logger.Prediction xs(PredictionLogger logger, String id) {
    var p = logger.prediction(Traffic.FS, "a", "1").predictionId(id).servedAtMicros(T0);
    for (int k = 0; k < 10; k++) {
      p.set(k, k / 10.0);
    }
    return p;
  }

  /**
   * A prediction as a logger of the first envelope version wrote it (no {@code unset_features}, a
   * non-null score), with its writer schema on the schemas topic.
   */
  private static void sendFirstEnvelopeVersion(Scenario s, String id) throws Exception {
    Schema v1 =
        LogwaitSchemas.withFeatures(
            LogwaitSchemas.predictionEnvelopeHistory().get(0), Traffic.FS.featuresSchema());
    GenericData.Record features = new GenericData.Record(Traffic.FS.featuresSchema());
    for (int k = 0; k < 10; k++) {
      features.put("x" + k, k / 10.0);
    }
    features.put("country", "nl");
    GenericData.Record r = new GenericData.Record(v1);
    r.put("prediction_id", id);
    r.put("served_at", T0);
    r.put("model_name", "a");
    r.put("model_version", "1");
    r.put("entity_keys", Map.of());
    r.put("prediction", 0.7);
    r.put("sample_rate", 1.0);
    r.put("features", features);
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            s.broker.clientProps(), new ByteArraySerializer(), new ByteArraySerializer())) {
      SchemaTopic.publish(p, s.schemas, v1, Duration.ofSeconds(30));
      p.send(new ProducerRecord<>(s.predictions, id.getBytes(), SingleObjectCodec.encode(r))).get();
    }
    assertThat(v1.getField(LogwaitSchemas.UNSET_FEATURES_FIELD)).isNull();
  }
}
