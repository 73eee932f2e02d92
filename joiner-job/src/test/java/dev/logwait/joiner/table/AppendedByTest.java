package dev.logwait.joiner.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.LocalSparkTest;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rows one commit appended, found by its snapshot: a join's health counts its own rows only,
 * however close in time another commit came (it used to read back "finalized in the last second").
 */
class AppendedByTest extends LocalSparkTest {
  @TempDir Path warehouse;

  @Test
  void theRowsOfOneSnapshotAndNoOtherCommitsRows() {
    String catalog = "appended" + System.nanoTime();
    spark.conf().set("spark.sql.catalog." + catalog, "org.apache.iceberg.spark.SparkCatalog");
    spark.conf().set("spark.sql.catalog." + catalog + ".type", "hadoop");
    spark.conf().set("spark.sql.catalog." + catalog + ".warehouse", warehouse.toString());
    Tables tables = new Tables(spark, catalog + ".ns");
    spark.sql("CREATE TABLE " + tables.name("t") + " (id BIGINT) USING iceberg");
    spark.sql("INSERT INTO " + tables.name("t") + " VALUES (1), (2)");
    long first = tables.snapshotId("t");
    spark.sql("INSERT INTO " + tables.name("t") + " VALUES (3)"); // well within a second
    long second = tables.snapshotId("t");

    assertThat(ids(tables, first)).containsExactlyInAnyOrder(1L, 2L);
    assertThat(ids(tables, second)).containsExactly(3L);
  }

  private static List<Long> ids(Tables tables, long snapshot) {
    return tables.appendedBy("t", snapshot).select("id").as(Encoders.LONG()).collectAsList();
  }
}
