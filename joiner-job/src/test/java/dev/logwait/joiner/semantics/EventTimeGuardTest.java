package dev.logwait.joiner.semantics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.joiner.LocalSparkTest;
import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md, "Clock skew": an event time must be plausible before it may move the watermark —
 * the plain rule and the Spark column the decoder evaluates.
 */
class EventTimeGuardTest extends LocalSparkTest {
  static final long MIN = 60_000_000L;
  static final long NOW = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli() * 1000;
  final EventTimeGuard guard =
      new EventTimeGuard(Duration.ofMinutes(5), Instant.parse("2000-01-01T00:00:00Z"));

  @Test
  void anEventUpToTheSkewPastItsKafkaTimestampIsPlausible() {
    long kafka = NOW - 10 * MIN;
    assertThat(guard.outOfRange(kafka, kafka, NOW)).isFalse();
    assertThat(guard.outOfRange(kafka + 5 * MIN, kafka, NOW)).isFalse();
    assertThat(guard.outOfRange(kafka + 5 * MIN + 1, kafka, NOW)).isTrue();
  }

  @Test
  void eventsLongBeforeTheirRecordAreLegitimate() {
    // a logger's spool or a replay sends old events with today's Kafka timestamps
    assertThat(guard.outOfRange(NOW - 400L * 24 * 60 * MIN, NOW, NOW)).isFalse();
  }

  @Test
  void theJoinersClockBoundsAFutureKafkaTimestampToo() {
    long kafka = NOW + 60 * MIN; // a producer with a bad clock also sets a bad CreateTime
    assertThat(guard.outOfRange(kafka, kafka, NOW)).isTrue();
    assertThat(guard.outOfRange(NOW + 5 * MIN, kafka, NOW)).isFalse();
  }

  @Test
  void aRecordWithoutKafkaTimestampIsBoundedByTheJoinersClock() {
    assertThat(guard.outOfRange(NOW + 6 * MIN, -1, NOW)).isTrue();
    assertThat(guard.outOfRange(NOW, -1, NOW)).isFalse();
  }

  @Test
  void extremesAreOutOfRangeWithoutOverflow() {
    assertThat(guard.outOfRange(Long.MAX_VALUE, NOW, NOW)).isTrue();
    assertThat(guard.outOfRange(0, NOW, NOW)).as("1970").isTrue();
    assertThat(guard.outOfRange(Long.MIN_VALUE, NOW, NOW)).isTrue();
    assertThat(guard.outOfRange(guard.floorMicros(), NOW, NOW)).as("the floor itself").isFalse();
  }

  @Test
  void theColumnTheDecoderUsesAgreesWithThePlainRule() {
    long kafka = NOW - 10 * MIN;
    long[][] cases = {
      {kafka, kafka},
      {kafka + 5 * MIN, kafka},
      {kafka + 5 * MIN + 1, kafka},
      {NOW - 400L * 24 * 60 * MIN, NOW},
      {NOW + 60 * MIN, NOW + 60 * MIN},
      {NOW + 5 * MIN, NOW + 60 * MIN},
      {NOW + 6 * MIN, -1},
      {NOW, -1},
      {Long.MAX_VALUE, NOW},
      {0, NOW},
      {Long.MIN_VALUE, NOW},
      {guard.floorMicros(), NOW},
      {guard.floorMicros() - 1, NOW}
    };
    List<Row> rows = new ArrayList<>();
    for (long[] c : cases) {
      rows.add(RowFactory.create(c[0], c[1]));
    }
    List<Boolean> column =
        spark
            .createDataFrame(
                rows, new StructType().add("e", DataTypes.LongType).add("k", DataTypes.LongType))
            .select(
                guard
                    .outOfRange(timestamp_micros(col("e")), timestamp_micros(col("k")), NOW)
                    .as("out"))
            .as(Encoders.BOOLEAN())
            .collectAsList();
    for (int i = 0; i < cases.length; i++) {
      assertThat(column.get(i))
          .as("event %d, Kafka timestamp %d", cases[i][0], cases[i][1])
          .isEqualTo(guard.outOfRange(cases[i][0], cases[i][1], NOW));
    }
    assertThat(column).contains(true, false);
  }

  @Test
  void configuredFromItsKeysWithDefaults() {
    assertThat(JoinerConfig.defaults().eventTimeGuard()).isEqualTo(guard);
    assertThat(
            JoinerConfig.load(
                    null,
                    Map.of("max-event-time-skew", "1h", "min-event-time", "2020-01-01T00:00:00Z"))
                .eventTimeGuard())
        .isEqualTo(new EventTimeGuard(Duration.ofHours(1), Instant.parse("2020-01-01T00:00:00Z")));
    assertThatThrownBy(() -> JoinerConfig.load(null, Map.of("min-event-time", "yesterday")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("min-event-time: 'yesterday' is not an ISO-8601 instant");
    assertThatThrownBy(() -> JoinerConfig.load(null, Map.of("max-event-time-skew", "a while")))
        .hasMessageContaining("max-event-time-skew: 'a while' is not a duration");
  }
}
