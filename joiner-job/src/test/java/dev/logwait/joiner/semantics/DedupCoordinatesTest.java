package dev.logwait.joiner.semantics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.joiner.LocalSparkTest;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md, "Duplicates": the first copy is the lowest Kafka partition, then offset. Dedup
 * orders copies by one number; a partition it cannot order is refused before anything is read.
 */
class DedupCoordinatesTest extends LocalSparkTest {
  @Test
  void coordinatesOrderByPartitionThenOffsetUpToTheLimits() {
    StructType schema =
        new StructType()
            .add("kafka_partition", DataTypes.IntegerType)
            .add("kafka_offset", DataTypes.LongType);
    long lastOffset = Dedup.MAX_END_OFFSET - 1;
    List<Row> rows =
        List.of(
            RowFactory.create(Dedup.MAX_PARTITION, 0L),
            RowFactory.create(1, 0L),
            RowFactory.create(0, lastOffset),
            RowFactory.create(0, 7L));
    List<Row> ordered =
        spark
            .createDataFrame(rows, schema)
            .orderBy(Dedup.coordinates())
            .select("kafka_partition", "kafka_offset")
            .collectAsList();
    assertThat(ordered)
        .containsExactly(
            RowFactory.create(0, 7L),
            RowFactory.create(0, lastOffset),
            RowFactory.create(1, 0L),
            RowFactory.create(Dedup.MAX_PARTITION, 0L));
  }

  @Test
  void aPartitionBeyondTheLimitsIsRefusedByName() {
    assertThatCode(
            () -> Dedup.requireOrderable("predictions", Dedup.MAX_PARTITION, Dedup.MAX_END_OFFSET))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Dedup.requireOrderable("predictions", 3, Dedup.MAX_END_OFFSET + 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("predictions/3")
        .hasMessageContaining("Nothing was read");
    assertThatThrownBy(() -> Dedup.requireOrderable("labels", Dedup.MAX_PARTITION + 1, 10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("labels/" + (Dedup.MAX_PARTITION + 1));
  }
}
