package dev.logwait.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A service's integration test with the extension: a real broker, and what it received. */
@LogwaitKafka(
    topics = {"ranker-predictions"},
    partitions = 2)
class LogwaitKafkaIT {
  static final FeatureSet RANKER = FeatureSet.builder("ranker", 1).addDoubles("f", 3).build();

  @Test
  void loggedPredictionsAreReadBackFromTheBroker(
      @BootstrapServers String servers, LogwaitBroker broker) {
    assertThat(broker.bootstrapServers()).isEqualTo(servers);
    try (PredictionLogger logger =
        PredictionLogger.builder()
            .bootstrapServers(servers)
            .topic("ranker-predictions")
            .schemasTopic("ranker-schemas")
            .build()) {
      for (int i = 0; i < 20; i++) {
        logger.log(
            logger
                .prediction(RANKER, "ranker_a", "1")
                .set(0, (double) i)
                .entity("user_id", "u" + i));
      }
      assertThat(logger.flush(Duration.ofSeconds(60))).isTrue();
    }
    List<LoggedPrediction> read =
        TopicReader.predictions(broker.clientProps(), "ranker-predictions", "ranker-schemas");
    LogwaitAssertions.assertThat(read).hasSize(20);
    LogwaitAssertions.assertThat(read)
        .loggedPrediction()
        .withEntity("user_id", "u7")
        .withFeature("f0", 7)
        .once();
  }

  @Test
  void theSameBrokerServesEveryTestOfTheClass(LogwaitBroker broker) {
    assertThat(broker.mode()).isIn("process", "testcontainers");
  }
}
