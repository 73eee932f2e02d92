package dev.logwait.joiner.table;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.LocalSparkTest;
import java.sql.Timestamp;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Deleted stays deleted: which rows of a batch a tombstone matches, and what it keeps of a key. */
class TombstonesTest extends LocalSparkTest {
  static final long DAY_MILLIS = 86_400_000L;
  static final long DAY = 20_454; // 2026-01-01
  static final String SALT = "0123456789abcdef";

  static final StructType BATCH =
      new StructType()
          .add("prediction_id", DataTypes.StringType)
          .add("served_at", DataTypes.TimestampType)
          .add("kafka_partition", DataTypes.IntegerType)
          .add("kafka_offset", DataTypes.LongType);

  static Row message(String id, long day, int partition, long offset) {
    return RowFactory.create(id, new Timestamp(day * DAY_MILLIS + 3_600_000L), partition, offset);
  }

  private Dataset<Row> keys(String reason, String... ids) {
    List<Row> rows = java.util.Arrays.stream(ids).map(id -> RowFactory.create(id)).toList();
    return spark
        .createDataFrame(rows, new StructType().add("id", DataTypes.StringType))
        .select(
            Tombstones.hash(SALT, Tombstones.PREDICTION_ID, col("id")).as("key_hash"),
            org.apache.spark.sql.functions.lit(reason).as("reason"));
  }

  @Test
  void everyCopyOfADeletedPredictionIsMatchedAndNothingElse() {
    Dataset<Row> batch =
        spark.createDataFrame(
            List.of(
                message("gone", DAY, 0, 10),
                message("gone", DAY, 1, 4), // a second copy (a retry on another partition)
                message("kept", DAY, 0, 11),
                message("other-day", DAY + 1, 0, 12)),
            BATCH);
    Tombstones.Check check =
        new Tombstones.Check(Set.of((int) DAY), keys("discarded", "gone", "other-day"), SALT);

    List<Row> matched = check.matches(batch).orderBy("_p").collectAsList();

    assertThat(matched)
        .extracting(r -> r.getInt(0), r -> r.getLong(1), r -> r.getString(2))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 10L, "discarded"),
            org.assertj.core.groups.Tuple.tuple(1, 4L, "discarded"));
  }

  @Test
  void aKeyIsKeptAsSixteenBytesOfASaltedHashNeverAsItself() {
    Row r =
        spark
            .createDataFrame(
                List.<Row>of(RowFactory.create("user-42")),
                new StructType().add("id", DataTypes.StringType))
            .select(
                Tombstones.hash(SALT, Tombstones.PREDICTION_ID, col("id")),
                Tombstones.hash("another salt", Tombstones.PREDICTION_ID, col("id")))
            .first();
    byte[] one = (byte[]) r.get(0);
    byte[] two = (byte[]) r.get(1);
    assertThat(one).hasSize(16);
    assertThat(new String(one, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("user-42");
    assertThat(one).isNotEqualTo(two);
  }
}
