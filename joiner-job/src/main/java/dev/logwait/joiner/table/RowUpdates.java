package dev.logwait.joiner.table;

import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Row-level changes to a table's branch by MERGE ({@link BranchCommit.BranchUpdate}), with the
 * source shaped as Spark 4.1 and Iceberg 1.12 need it (joiner-job/README.md, "Known platform
 * problems").
 */
public final class RowUpdates {
  private RowUpdates() {}

  /**
   * The rows computed once, with column ids of their own: a MERGE cannot resolve a source that
   * still carries the target table's.
   */
  public static Dataset<Row> materialize(Dataset<Row> rows) {
    Dataset<Row> checkpointed = rows.localCheckpoint(true);
    return rows.sparkSession().createDataFrame(checkpointed.javaRDD(), checkpointed.schema());
  }

  /**
   * {@code MERGE INTO <branchTable> t USING <source> s <clauses>}, its snapshot carrying {@code
   * snapshotProperties}.
   *
   * @param clauses from {@code ON} on, naming the target {@code t} and the source {@code s}
   */
  public static void merge(
      Dataset<Row> source,
      String branchTable,
      String clauses,
      Map<String, String> snapshotProperties) {
    String view = "logwait_merge_" + UUID.randomUUID().toString().replace("-", "");
    source.createOrReplaceTempView(view);
    try {
      CommitMetadata.withCommitProperties(
          snapshotProperties,
          () ->
              source
                  .sparkSession()
                  .sql("MERGE INTO " + branchTable + " t USING " + view + " s " + clauses),
          RuntimeException.class);
    } finally {
      source.sparkSession().catalog().dropTempView(view);
    }
  }

  /**
   * {@code DELETE FROM <branchTable> WHERE (<keys' columns>) IN (SELECT … FROM <keys>)}
   * (copy-on-write: the files holding those rows are rewritten without them), its snapshot carrying
   * {@code snapshotProperties}. {@code keys} should be {@link #materialize materialized}.
   */
  public static void deleteWhereIn(
      Dataset<Row> keys, String branchTable, Map<String, String> snapshotProperties) {
    String view = "logwait_delete_" + UUID.randomUUID().toString().replace("-", "");
    String columns = String.join(", ", keys.columns());
    String target = keys.columns().length == 1 ? columns : "(" + columns + ")";
    keys.createOrReplaceTempView(view);
    try {
      CommitMetadata.withCommitProperties(
          snapshotProperties,
          () ->
              keys.sparkSession()
                  .sql(
                      "DELETE FROM "
                          + branchTable
                          + " WHERE "
                          + target
                          + " IN (SELECT "
                          + columns
                          + " FROM "
                          + view
                          + ")"),
          RuntimeException.class);
    } finally {
      keys.sparkSession().catalog().dropTempView(view);
    }
  }
}
