package dev.logwait.joiner.trainer;

import dev.logwait.joiner.table.BranchCommit;
import dev.logwait.joiner.table.ConcurrentRunException;
import dev.logwait.joiner.table.Tables;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Snapshot;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code cursors} table: every cursor move, oldest first. A move is appended only if the table
 * did not change since it was read ({@link #append} commits through a branch that Iceberg
 * fast-forwards only from the snapshot read), so two instances of one trainer cannot both move its
 * cursor from the same place.
 */
final class CursorLog {
  static final String TABLE = "cursors";

  static final String COLUMNS =
      "trainer STRING NOT NULL, table_name STRING NOT NULL, snapshot_id BIGINT NOT NULL,"
          + " final_through TIMESTAMP, row_count BIGINT, model_version STRING, base_model STRING,"
          + " committed_at TIMESTAMP NOT NULL, after_snapshot BIGINT, moved_by STRING";

  private final SparkSession spark;
  private final Tables tables;

  /** The moves as of one snapshot of the table (null: no table or no snapshot yet). */
  record Read(Long snapshotId, List<Cursor> moves) {
    /** The latest move of {@code trainer} on {@code table}, or null. */
    Cursor latest(String trainer, String table) {
      Cursor out = null;
      for (Cursor c : moves) {
        if (c.trainer().equals(trainer) && c.table().equals(table)) {
          out = c;
        }
      }
      return out;
    }
  }

  CursorLog(SparkSession spark, Tables tables) {
    this.spark = spark;
    this.tables = tables;
  }

  /** Every move as of the table's current snapshot, oldest first. */
  Read read() {
    if (!tables.exists(TABLE)) {
      return new Read(null, List.of());
    }
    Snapshot head = tables.iceberg(TABLE).currentSnapshot();
    if (head == null) {
      return new Read(null, List.of());
    }
    List<Cursor> out = new ArrayList<>();
    for (Row r : tables.readAt(TABLE, head.snapshotId()).orderBy("committed_at").collectAsList()) {
      out.add(cursor(r));
    }
    return new Read(head.snapshotId(), List.copyOf(out));
  }

  /**
   * Appends {@code c}, only if the table is still at {@code read}'s snapshot.
   *
   * @throws ConcurrentRunException when another move was committed since {@code read}
   */
  void append(Read read, Cursor c) {
    String name = tables.name(TABLE);
    spark.sql("CREATE TABLE IF NOT EXISTS " + name + " (" + COLUMNS + ") USING iceberg");
    long base =
        read.snapshotId() != null ? read.snapshotId() : tables.ensureSnapshot(TABLE).snapshotId();
    Row r =
        RowFactory.create(
            c.trainer(),
            c.table(),
            c.snapshotId(),
            c.finalThrough() == null ? null : Timestamp.from(c.finalThrough()),
            c.rows(),
            c.modelVersion(),
            c.baseModel(),
            Timestamp.from(c.committedAt()),
            c.afterSnapshot(),
            c.movedBy());
    new BranchCommit(tables, "cursor-" + UUID.randomUUID())
        .commit(
            TABLE, base, spark.createDataFrame(List.of(r), StructType.fromDDL(COLUMNS)), Map.of());
  }

  private static Cursor cursor(Row r) {
    return new Cursor(
        r.getAs("trainer"),
        r.getAs("table_name"),
        r.<Long>getAs("snapshot_id"),
        instant(r, "final_through"),
        r.isNullAt(r.fieldIndex("row_count")) ? 0 : r.<Long>getAs("row_count"),
        r.getAs("model_version"),
        r.getAs("base_model"),
        instant(r, "committed_at"),
        has(r, "after_snapshot") ? r.<Long>getAs("after_snapshot") : null,
        has(r, "moved_by") && r.getAs("moved_by") != null
            ? r.<String>getAs("moved_by")
            : Cursor.TRAINER);
  }

  private static boolean has(Row r, String column) {
    return List.of(r.schema().fieldNames()).contains(column);
  }

  private static java.time.Instant instant(Row r, String column) {
    Timestamp t = r.getAs(column);
    return t == null ? null : t.toInstant();
  }
}
