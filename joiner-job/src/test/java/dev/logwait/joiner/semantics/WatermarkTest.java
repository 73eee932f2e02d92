package dev.logwait.joiner.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.LocalSparkTest;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md, "When is a window closed?": the minimum over the labels topic's partitions of the
 * latest {@code occurred_at} ingested, minus the allowed lateness; a partition that has never
 * carried an event holds every window open; a prediction is finalized once {@code served_at +
 * longest window <= watermark}.
 */
class WatermarkTest extends LocalSparkTest {
  @Test
  void theWatermarkIsTheSlowestPartitionMinusLateness() {
    Watermark w =
        Watermark.of(
            Map.of("0", 10_000_000L, "1", 7_000_000L), List.of(0, 1), Duration.ofSeconds(2));
    assertThat(w.micros()).isEqualTo(5_000_000L);
  }

  @Test
  void aPartitionWithoutEventsHoldsEveryWindowOpen() {
    Watermark w = Watermark.of(Map.of("0", 10_000_000L), List.of(0, 1, 2), Duration.ZERO);
    assertThat(w.known()).isFalse();
    assertThat(w.partitionsWithoutEvents()).containsExactly(1, 2);
    assertThat(Watermark.of(Map.of(), List.of(), Duration.ZERO).known()).isFalse();
  }

  @Test
  void anIdlePartitionHoldsNothingAndAllIdleFollowTheLatestProgress() {
    Map<String, Long> progress = Map.of("0", 10_000_000L, "1", 7_000_000L);
    Watermark w = Watermark.of(progress, List.of(0, 1, 2), List.of(1, 2), Duration.ZERO);
    assertThat(w.micros()).isEqualTo(10_000_000L);
    assertThat(w.idlePartitions()).containsExactly(1, 2);
    assertThat(w.partitionsWithoutEvents()).isEmpty();
    assertThat(Watermark.of(progress, List.of(0, 1), List.of(0, 1), Duration.ZERO).micros())
        .as("the feed stopped everywhere")
        .isEqualTo(10_000_000L);
    assertThat(Watermark.of(Map.of(), List.of(0, 1), List.of(0, 1), Duration.ZERO).known())
        .as("nothing ever arrived")
        .isFalse();
    assertThat(Watermark.of(progress, List.of(0, 1, 2), List.of(), Duration.ZERO).known())
        .as("without the setting, partition 2 holds every window")
        .isFalse();
  }

  @Test
  void aPartitionIsIdleAfterItsQuietTimeOrWhenItNeverCarriedARecord() {
    long now = 1_000_000;
    Map<Integer, Long> newest = Map.of(0, now - 59_999, 1, now - 60_000, 2, -1L);
    assertThat(IdlePartitions.of(newest, Duration.ofMinutes(1), now)).containsExactly(1, 2);
    assertThat(IdlePartitions.of(newest, null, now)).as("off by default").isEmpty();
  }

  @Test
  void progressOnlyMovesForward() {
    assertThat(Watermark.advance(Map.of("0", 5L, "1", 9L), Map.of("0", 7L, "1", 3L, "2", 1L)))
        .containsExactlyInAnyOrderEntriesOf(Map.of("0", 7L, "1", 9L, "2", 1L));
  }

  @Test
  void finalizedOnlyWhenTheLongestWindowHasClosed() {
    long w = TimeUnit.MICROSECONDS.convert(Duration.ofSeconds(10));
    assertThat(Watermark.finalized(0, w, 10_000_000L)).isTrue();
    assertThat(Watermark.finalized(1, w, 10_000_000L)).isFalse();
    // no overflow at the extremes a bad clock could produce
    assertThat(Watermark.finalized(Long.MAX_VALUE, w, 10_000_000L)).isFalse();
  }

  @Test
  void theColumnTheJoinUsesAgrees() {
    Watermark wm = new Watermark(10_000_000L, List.of(), List.of());
    long w = TimeUnit.MICROSECONDS.convert(Duration.ofSeconds(10));
    List<Boolean> finalized =
        spark
            .createDataset(List.of(new Timestamp(0), new Timestamp(1)), Encoders.TIMESTAMP())
            .select(wm.finalized(functions.col("value"), w))
            .as(Encoders.BOOLEAN())
            .collectAsList();
    assertThat(finalized).containsExactly(true, false); // served at 0 ms and at 1 ms
    assertThat(wm.openFrom(w)).isZero();
  }
}
