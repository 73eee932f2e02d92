package dev.logwait.joiner.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.LocalSparkTest;
import dev.logwait.joiner.kafka.Positions;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** What one aggregation over a decoded batch counts for the quarantine and the raw table. */
class BatchCensusTest extends LocalSparkTest {
  static final long T = 1_767_225_600_000L; // 2026-01-01T00:00:00Z in millis

  static final StructType DECODED =
      new StructType()
          .add("kafka_partition", DataTypes.IntegerType)
          .add("kafka_offset", DataTypes.LongType)
          .add("kafka_timestamp", DataTypes.TimestampType)
          .add("served_at", DataTypes.TimestampType)
          .add("reason", DataTypes.StringType);

  static Row message(int partition, long offset, long kafkaMillis, Long servedMillis, String why) {
    return RowFactory.create(
        partition,
        offset,
        new Timestamp(kafkaMillis),
        servedMillis == null ? null : new Timestamp(servedMillis),
        why);
  }

  @Test
  void countsWhatEachTableTakesPastItsOwnPosition() {
    Dataset<Row> batch =
        spark.createDataFrame(
            List.of(
                // partition 0: both tables have offsets 0-1 (the raw table took 0, the quarantine
                // 1)
                message(0, 0, T, T, null),
                message(0, 1, T + 10, null, "INVALID_BODY"),
                message(0, 2, T + 20_000, T + 5_000, null),
                message(0, 3, T + 30_000, T + 40_000, null),
                message(0, 4, T + 40_000, null, "UNKNOWN_FINGERPRINT"),
                // partition 1: neither table has it
                message(1, 0, T + 1_000, T - 60_000, null),
                message(1, 1, T + 2_000, null, "INVALID_BODY")),
            DECODED);
    Positions raw = Positions.fromJson("{\"p/0\": 2}");
    Positions quarantine = Positions.fromJson("{\"p/0\": 2}");

    BatchCensus c = BatchCensus.of(batch, "served_at", raw.atOrPast("p"), quarantine.atOrPast("p"));

    assertThat(c.read()).isEqualTo(7);
    assertThat(c.quarantine())
        .containsOnly(Map.entry("INVALID_BODY", 1L), Map.entry("UNKNOWN_FINGERPRINT", 1L));
    BatchStats taken = c.taken();
    assertThat(taken.rows()).isEqualTo(3); // p0 offsets 2 and 3, p1 offset 0
    assertThat(taken.earliest()).isEqualTo(new Timestamp(T - 60_000));
    assertThat(taken.latest()).isEqualTo(new Timestamp(T + 40_000));
    // progress: the latest least(event time, Kafka timestamp) per partition, in micros
    assertThat(taken.latestByPartition())
        .containsOnly(Map.entry("0", (T + 30_000) * 1000), Map.entry("1", (T - 60_000) * 1000));
  }

  @Test
  void aBatchWithNothingDecodedHasNoStatistics() {
    Dataset<Row> batch =
        spark.createDataFrame(List.of(message(0, 0, T, null, "INVALID_BODY")), DECODED);

    BatchCensus c =
        BatchCensus.of(
            batch, "served_at", Positions.NONE.atOrPast("p"), Positions.NONE.atOrPast("p"));

    assertThat(c.read()).isEqualTo(1);
    assertThat(c.quarantine()).containsOnly(Map.entry("INVALID_BODY", 1L));
    assertThat(c.taken().rows()).isZero();
    assertThat(c.taken().earliest()).isNull();
  }
}
