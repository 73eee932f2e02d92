package com.example.ranker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.testing.BootstrapServers;
import dev.logwait.testing.LoggedPrediction;
import dev.logwait.testing.LogwaitAssertions;
import dev.logwait.testing.LogwaitBroker;
import dev.logwait.testing.LogwaitKafka;
import dev.logwait.testing.TopicReader;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The service's integration test: a real broker on a port it chose, and what it received. */
@LogwaitKafka(
    topics = {"ranker-predictions", "ranker-labels"},
    port = RankerLoggingIT.PORT)
class RankerLoggingIT {
  static final int PORT = 39_519;
  static volatile java.nio.file.Path brokerDir;

  @Test
  void whatWasServedReachesTheBroker(@BootstrapServers String servers, LogwaitBroker broker) {
    assertThat(servers).isEqualTo("127.0.0.1:" + PORT);
    brokerDir = broker.workDir();
    String id;
    try (PredictionLogger predictions =
            PredictionLogger.builder()
                .bootstrapServers(servers)
                .topic("ranker-predictions")
                .schemasTopic("ranker-schemas")
                .build();
        LabelLogger labels =
            LabelLogger.builder().bootstrapServers(servers).topic("ranker-labels").build()) {
      RankingService service = new RankingService(predictions, labels);
      id = service.rank("u1", 20.0, "de", new float[] {0.5f});
      service.clicked(id);
      assertThat(predictions.flush(Duration.ofSeconds(60))).isTrue();
      assertThat(labels.flush(Duration.ofSeconds(60))).isTrue();
    }
    List<LoggedPrediction> read =
        TopicReader.predictions(broker.clientProps(), "ranker-predictions", "ranker-schemas");
    LogwaitAssertions.assertThat(read).loggedPrediction().withId(id).withFeature("country", "de").once();
    LogwaitAssertions.assertThatLabels(TopicReader.labels(broker.clientProps(), "ranker-labels"))
        .loggedLabel()
        .forPrediction(id)
        .once();
  }
}
