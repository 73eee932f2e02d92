package dev.logwait.logger;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoggerBuilderTest {
  @Test
  void aSpoolWithoutBudgetOrWithoutAWritableDirectoryIsRefusedAtBuildTime(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    assertThatThrownBy(() -> PredictionLogger.builder().spool(dir, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spool maxBytes must be positive, was 0");
    assertThatThrownBy(() -> PredictionLogger.builder().spoolSync(0, Duration.ofSeconds(1)))
        .hasMessageContaining("spoolSync everyRecords must be >= 1");
    java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(
            () ->
                PredictionLogger.builder()
                    .bootstrapServers("127.0.0.1:1")
                    .spool(file.resolve("spool"), 1 << 20)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spool directory")
        .hasMessageContaining("cannot be created or written");
    // DROP takes a spool back
    PredictionLogger.builder()
        .bootstrapServers("127.0.0.1:1")
        .spool(file.resolve("spool"), 1 << 20)
        .overflow(LoggerBuilder.Overflow.DROP)
        .build()
        .close(Duration.ZERO);
  }

  @Test
  @SuppressWarnings("deprecation") // meterRegistry(Object), kept for the services that call it
  void invalidSettingsFailAtBuildTimeNamingTheSetting() {
    assertThatThrownBy(() -> PredictionLogger.builder().build())
        .hasMessage("bootstrapServers is required");
    assertThatThrownBy(() -> PredictionLogger.builder().bootstrapServers(" "))
        .hasMessageContaining("bootstrapServers must be host:port");
    assertThatThrownBy(() -> PredictionLogger.builder().topic("bad topic!"))
        .hasMessageContaining("topic 'bad topic!' is not a valid Kafka topic name");
    assertThatThrownBy(() -> PredictionLogger.builder().schemasTopic(""))
        .hasMessageContaining("schemasTopic '' is not a valid Kafka topic name");
    assertThatThrownBy(() -> PredictionLogger.builder().queueCapacity(3))
        .hasMessageContaining("queueCapacity must be between 16 and");
    assertThatThrownBy(() -> PredictionLogger.builder().sampleRate("m", 1.5))
        .hasMessageContaining("sampleRate(m) must be in [0, 1], was 1.5");
    assertThatThrownBy(() -> PredictionLogger.builder().defaultSampleRate(Double.NaN))
        .hasMessageContaining("defaultSampleRate must be in [0, 1]");
    assertThatThrownBy(() -> PredictionLogger.builder().closeTimeout(Duration.ofSeconds(-1)))
        .hasMessageContaining("closeTimeout must be zero or positive");
    assertThatThrownBy(() -> PredictionLogger.builder().producerProperty("acks", "1"))
        .hasMessageContaining("producer property acks is fixed by logwait");
    assertThatThrownBy(() -> PredictionLogger.builder().meterRegistry("not a registry"))
        .hasMessageContaining("meterRegistry must be an io.micrometer");
    assertThatThrownBy(
            () ->
                PredictionLogger.builder()
                    .bootstrapServers("h:1")
                    .topic("same")
                    .schemasTopic("same")
                    .build())
        .hasMessageContaining("Cannot set topic and schemasTopic to the same topic (same)");
    assertThatThrownBy(
            () ->
                LabelLogger.builder()
                    .bootstrapServers("h:1")
                    .producerProperty("linger.ms", "soon")
                    .build())
        .hasMessageContaining("Invalid producer property")
        .hasMessageContaining("linger.ms");
  }
}
