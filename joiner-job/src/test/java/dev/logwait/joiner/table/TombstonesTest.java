package dev.logwait.joiner.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.LocalSparkTest;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Deleted stays deleted: which rows of a batch a tombstone matches (by prediction id on its day, or
 * by an erased entity key on any day), and what it keeps of a key.
 */
class TombstonesTest extends LocalSparkTest {
  static final long DAY_MILLIS = 86_400_000L;
  static final long DAY = 20_454; // 2026-01-01
  static final String SALT = "0123456789abcdef";

  static final StructType BATCH =
      new StructType()
          .add("prediction_id", DataTypes.StringType)
          .add("served_at", DataTypes.TimestampType)
          .add(
              "entity_keys",
              DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true))
          .add("kafka_partition", DataTypes.IntegerType)
          .add("kafka_offset", DataTypes.LongType);

  static Row message(String id, long day, Map<String, String> keys, int partition, long offset) {
    return RowFactory.create(
        id,
        new Timestamp(day * DAY_MILLIS + 3_600_000L),
        scala.jdk.javaapi.CollectionConverters.asScala(keys),
        partition,
        offset);
  }

  private Dataset<Row> predictionKeys(String reason, String... ids) {
    List<Row> rows = Arrays.stream(ids).map(id -> RowFactory.create(id)).toList();
    return spark
        .createDataFrame(rows, new StructType().add("id", DataTypes.StringType))
        .select(
            Tombstones.hash(SALT, Tombstones.PREDICTION_ID, col("id")).as("key_hash"),
            lit(reason).as("reason"));
  }

  private Dataset<Row> entityKeys(String key, String... values) {
    List<Row> rows = Arrays.stream(values).map(v -> RowFactory.create(key, v)).toList();
    return spark
        .createDataFrame(rows, Tombstones.entityKeys())
        .select(
            Tombstones.hash(
                    SALT,
                    org.apache.spark.sql.functions.concat(lit(Tombstones.ENTITY), col("key")),
                    col("value"))
                .as("key_hash"),
            lit(Tombstones.ERASED).as("reason"));
  }

  private static List<Tuple> matched(Dataset<Row> found) {
    return found.orderBy("_p", "_o").collectAsList().stream()
        .map(r -> Tuple.tuple(r.getInt(0), r.getLong(1), r.getString(2)))
        .toList();
  }

  @Test
  void everyCopyOfADeletedPredictionIsMatchedAndNothingElse() {
    Dataset<Row> batch =
        spark.createDataFrame(
            List.of(
                message("gone", DAY, Map.of(), 0, 10),
                message("gone", DAY, Map.of(), 1, 4), // a second copy (a retry, another partition)
                message("kept", DAY, Map.of(), 0, 11),
                message("other-day", DAY + 1, Map.of(), 0, 12)),
            BATCH);
    TombstoneCheck check =
        new TombstoneCheck(
            SALT, Set.of((int) DAY), predictionKeys("discarded", "gone", "other-day"), null);

    assertThat(matched(check.matches(batch)))
        .containsExactly(Tuple.tuple(0, 10L, "discarded"), Tuple.tuple(1, 4L, "discarded"));
  }

  @Test
  void anErasedEntityKeyMatchesEveryRowCarryingItOnAnyDayAndTheErasureWins() {
    Dataset<Row> batch =
        spark.createDataFrame(
            List.of(
                message("a", DAY, Map.of("user_id", "u7", "item_id", "i1"), 0, 1),
                message("b", DAY + 300, Map.of("user_id", "u7"), 0, 2),
                message("c", DAY, Map.of("shop", "u7"), 0, 3), // the value under another key
                message("d", DAY, Map.of("user_id", "u8"), 0, 4)),
            BATCH);
    TombstoneCheck check =
        new TombstoneCheck(
            SALT, Set.of((int) DAY), predictionKeys("discarded", "a"), entityKeys("user_id", "u7"));

    assertThat(matched(check.matches(batch)))
        .containsExactly(Tuple.tuple(0, 1L, "erased"), Tuple.tuple(0, 2L, "erased"));
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
