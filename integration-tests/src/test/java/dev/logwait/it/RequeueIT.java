package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.ingest.Requeue;
import dev.logwait.logger.Label;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code joiner requeue}: predictions quarantined as UNKNOWN_FINGERPRINT because their feature
 * set's schema went to another schemas topic decode once the schema is published on the right one;
 * they land in raw_predictions once, their quarantine rows are marked resolved, the next join
 * finalizes them (although they lie behind its incremental bounds), and a message quarantined for
 * another reason stays.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class RequeueIT {
  static final FeatureSet FS = FeatureSet.builder("requeue", 1).addDouble("x").build();
  static final long T0 = 1_780_000_000_000_000L;
  static final long MIN = 60_000_000L;

  @Test
  void unknownFingerprintsDecodeAfterTheirSchemaIsPublishedAndLandOnce() {
    Scenario s =
        new Scenario(
            "requeue",
            1,
            1,
            "labels:\n  - {name: click, window: 10m, aggregation: exists, default: 0}\n",
            "0s");
    // The schema goes to a topic the joiner does not read: every prediction is unknown to it.
    try (PredictionLogger logger = s.predictionLogger().schemasTopic(s.id + "-elsewhere").build()) {
      for (int i = 0; i < 5; i++) {
        logger.log(
            logger.prediction(FS, "m", "1").predictionId("p" + i).servedAtMicros(T0 + i * MIN));
      }
      logger.flush(Duration.ofSeconds(60));
    }
    s.sendLabel(0, Label.forPrediction("p1", "click", 1, T0 + 2 * MIN));
    s.sendLabel(0, Label.of("hb-1", "heartbeat", 0, T0 + 30 * MIN, Map.of("hb", "1")));
    var first = s.run();
    assertThat(first.counts()).containsEntry("quarantined", 5L).containsEntry("finalized", 0L);
    // one broken message, quarantined for another reason
    try (var p =
        new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
            s.broker.clientProps(),
            new org.apache.kafka.common.serialization.ByteArraySerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      p.send(
          new org.apache.kafka.clients.producer.ProducerRecord<>(
              s.predictions, "x".getBytes(), new byte[] {1, 2, 3}));
    }
    s.log(FS, T0 + 5 * MIN, "z0"); // publishes the schema where the joiner reads it
    var second = s.run();
    assertThat(second.counts()).containsEntry("quarantined", 1L).containsEntry("finalized", 1L);

    Requeue.Summary requeued =
        new Requeue(s.spark(), s.config, System.out)
            .run(new Requeue.Options("UNKNOWN_FINGERPRINT", null, null));
    assertThat(requeued.considered()).isEqualTo(5);
    assertThat(requeued.requeued()).isEqualTo(5);
    assertThat(requeued.remaining()).isEmpty();
    assertThat(s.read("raw_predictions").where("prediction_id LIKE 'p%'").count()).isEqualTo(5);
    assertThat(s.read("quarantine").where("resolved_at IS NOT NULL").count()).isEqualTo(5);
    assertThat(s.read("quarantine").where("resolved_at IS NULL").count()).isEqualTo(1);

    var third = s.run();
    assertThat(third.counts()).containsEntry("finalized", 5L);
    assertThat(s.rows("training_requeue", "prediction_id")).hasSize(6);
    assertThat(s.rows("training_requeue", "prediction_id").get("p1"))
        .containsEntry("label_click", 1.0);

    // Again, every reason: the resolved ones are not looked at; the broken one stays.
    Requeue.Summary again =
        new Requeue(s.spark(), s.config, System.out).run(new Requeue.Options(null, null, null));
    assertThat(again.considered()).isEqualTo(1);
    assertThat(again.requeued()).isZero();
    assertThat(again.remaining()).hasSize(1);
    assertThat(s.read("raw_predictions").count()).isEqualTo(6);
    assertThat(s.run().counts()).containsEntry("finalized", 0L);
  }
}
