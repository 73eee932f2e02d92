package dev.logwait.logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logwait.schema.FeatureSet;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

/** A record that will never be sent is counted by class, and the warning says why. */
class FailureWarningTest {
  static final FeatureSet FS = FeatureSet.builder("warned", 1).addDouble("x").build();

  /** Keeps the engine's warnings. */
  static final class Kept extends AbstractAppender {
    final List<String> messages = new CopyOnWriteArrayList<>();

    Kept() {
      super("kept", null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      messages.add(event.getMessage().getFormattedMessage());
    }
  }

  @Test
  void theWarningNamesTheCauseNotOnlyItsClass() {
    org.apache.logging.log4j.core.Logger engineLog =
        (org.apache.logging.log4j.core.Logger)
            LogManager.getLogger("dev.logwait.logger.internal.LoggerEngine");
    Kept kept = new Kept();
    kept.start();
    engineLog.addAppender(kept);
    MockProducer<byte[], byte[]> manual =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    try (PredictionLogger logger =
        PredictionLogger.builder()
            .bootstrapServers("127.0.0.1:1")
            .createSchemasTopic(false)
            .closeTimeout(Duration.ZERO)
            .build(p -> manual)) {
      logger.log(logger.prediction(FS, "m", "1").set(0, 1.0).score(1));
      await().until(() -> manual.history().size() == 1);
      manual.completeNext(); // the schema
      await().until(() -> manual.history().size() == 2);
      manual.errorNext(new KafkaException("send aborted", new IOException("disk full")));
      await().until(() -> logger.stats().failed() == 1);
      assertThat(logger.stats().failedBy()).containsEntry("KafkaException", 1L);
    } finally {
      engineLog.removeAppender(kept);
    }
    assertThat(kept.messages)
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("failed to send records (KafkaException:")
                    .contains("send aborted")
                    .contains("caused by java.io.IOException: disk full"));
  }
}
