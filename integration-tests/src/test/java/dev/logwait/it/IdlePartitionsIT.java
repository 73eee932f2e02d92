package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logwait.logger.Label;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two label partitions, one silent. Without {@code label-partitions-idle-after} the silent one
 * holds every window open; with it, once its newest record is older than the quiet time, the
 * watermark follows the active partition and the windows close.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class IdlePartitionsIT {
  static final FeatureSet FS = FeatureSet.builder("idle", 1).addDouble("x").build();
  static final long T0 = 1_780_000_000_000_000L;
  static final long MIN = 60_000_000L;

  @Test
  void aSilentPartitionHoldsWindowsOpenUnlessDeclaredIdle() {
    Scenario held =
        new Scenario(
            "idle", 1, 2, "labels:\n  - {name: click, window: 10m, aggregation: exists}\n", "0s");
    Scenario idle = new Scenario(held, "_idle", "label-partitions-idle-after: 10s\n");
    try (PredictionLogger logger = held.predictionLogger().build()) {
      for (int i = 0; i < 10; i++) {
        logger.log(
            logger.prediction(FS, "m", "1").predictionId("p" + i).servedAtMicros(T0 + i * MIN));
      }
      logger.flush(Duration.ofSeconds(60));
    }
    send(held, 0, "hb-0", T0 + 60 * MIN);
    long silentSince = System.currentTimeMillis();
    send(held, 1, "hb-1", T0 + 5 * MIN); // partition 1 then falls silent

    var first = held.run();
    assertThat(first.watermarkMicros()).isEqualTo(T0 + 5 * MIN);
    assertThat(first.counts()).containsEntry("finalized", 0L);

    // the quiet time passes (by the records' Kafka timestamps); partition 0 stays active
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> System.currentTimeMillis() - silentSince > 11_000);
    send(held, 0, "hb-0b", T0 + 61 * MIN);

    var withIdle = idle.run();
    assertThat(withIdle.watermarkMicros()).isEqualTo(T0 + 61 * MIN);
    assertThat(withIdle.counts())
        .containsEntry("finalized", 10L)
        .containsEntry("label_partition_idle.1", 1L)
        .doesNotContainKey("label_partition_idle.0");

    var without = held.run();
    assertThat(without.watermarkMicros()).as("held by partition 1").isEqualTo(T0 + 5 * MIN);
    assertThat(without.counts()).containsEntry("finalized", 0L);
  }

  private static void send(Scenario s, int partition, String eventId, long at) {
    s.sendLabel(partition, Label.of(eventId, "heartbeat", 0, at, Map.of("hb", eventId)));
  }
}
