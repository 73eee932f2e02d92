package dev.logwait.joiner.trainer;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.table.Tables;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * What a trainer reads and commits. {@link #since} gives the training rows committed since the
 * trainer's cursor — the whole table as of its current snapshot on a trainer's first read, then
 * only rows appended by later snapshots (Iceberg's incremental append scan: a restatement's
 * overwrite and a compaction's rewrite add no rows and are skipped, so every row is delivered once,
 * as first finalized). Nothing moves until {@link #commit}: a trainer that crashes before it gets
 * the same rows again; two trainers have independent cursors.
 *
 * <pre>{@code
 * TrainingData data = new TrainingData(spark, config);
 * TrainingData.Batch batch = data.since("ctr-finetune", "training_ranker");
 * Model m = train(baseModel, batch.rows());       // labels final through batch.finalThrough()
 * data.commit(batch, "ctr-v42", "ctr-v41");      // the model produced, and the one it started from
 * }</pre>
 */
public final class TrainingData {
  public static final String CURSORS = "cursors";

  static final String COLUMNS =
      "trainer STRING NOT NULL, table_name STRING NOT NULL, snapshot_id BIGINT NOT NULL,"
          + " final_through TIMESTAMP, row_count BIGINT, model_version STRING, base_model STRING,"
          + " committed_at TIMESTAMP NOT NULL";

  /** Snapshot property of training commits: the label watermark they are final through. */
  static final String CUTOFF = "logwait.cutoff";

  private final SparkSession spark;
  private final Tables tables;

  public TrainingData(SparkSession spark, JoinerConfig config) {
    this.spark = spark;
    this.tables = new Tables(spark, config);
  }

  /**
   * The rows a trainer has not consumed.
   *
   * @param fromSnapshotExclusive the trainer's cursor (null on its first read)
   * @param toSnapshot the training table's snapshot read through (null: the table is empty)
   * @param finalThrough labels are final through this time (the watermark of {@code toSnapshot})
   */
  public record Batch(
      String trainer,
      String table,
      Long fromSnapshotExclusive,
      Long toSnapshot,
      Instant finalThrough,
      Dataset<Row> rows) {
    public boolean empty() {
      return toSnapshot == null || toSnapshot.equals(fromSnapshotExclusive);
    }
  }

  /** As {@link #since(String, String)} on the only training table. */
  public Batch since(String trainer) {
    return since(trainer, null);
  }

  /** The training rows committed to {@code table} since {@code trainer}'s cursor. */
  public Batch since(String trainer, String table) {
    String training = training(table);
    Cursor cursor = current(trainer, training);
    Table t = tables.iceberg(training);
    Snapshot head = t.currentSnapshot();
    Long from = cursor == null ? null : cursor.snapshotId();
    if (head == null || (from != null && from == head.snapshotId())) {
      Long to = head == null ? null : head.snapshotId();
      return new Batch(
          trainer,
          training,
          from,
          to,
          cursor == null ? null : cursor.finalThrough(),
          empty(training));
    }
    if (from != null && !SnapshotUtil.isAncestorOf(t, head.snapshotId(), from)) {
      throw new IllegalStateException(
          "trainer "
              + trainer
              + "'s cursor on "
              + training
              + " is at snapshot "
              + from
              + ", which is not an ancestor of the table's current snapshot "
              + head.snapshotId()
              + " (the table was rolled back or replaced); commit a cursor anew to go on");
    }
    Dataset<Row> rows =
        from == null
            ? spark
                .read()
                .option("versionAsOf", String.valueOf(head.snapshotId()))
                .table(tables.name(training))
            : spark
                .read()
                .option("start-snapshot-id", String.valueOf(from))
                .option("end-snapshot-id", String.valueOf(head.snapshotId()))
                .table(tables.name(training));
    return new Batch(
        trainer, training, from, head.snapshotId(), finalThrough(training, head), rows);
  }

  /**
   * Moves {@code batch.trainer()}'s cursor to the end of {@code batch}, recording the model it
   * produced and the one it started from.
   *
   * @throws ConfigException when the cursor moved since the batch was read (another commit of the
   *     same trainer) or the batch is not after it
   */
  public Cursor commit(Batch batch, String modelVersion, String baseModel) {
    if (batch.toSnapshot() == null) {
      throw new ConfigException(batch.table() + " has no rows yet: nothing to commit");
    }
    return commit(batch.trainer(), batch.table(), batch.toSnapshot(), modelVersion, baseModel);
  }

  /** As {@link #commit(Batch, String, String)}, for a snapshot a trainer read through itself. */
  public Cursor commit(
      String trainer, String table, long snapshotId, String modelVersion, String baseModel) {
    String training = training(table);
    if (trainer == null || trainer.isBlank()) {
      throw new ConfigException("a cursor needs a trainer name");
    }
    Table t = tables.iceberg(training);
    Snapshot to = t.snapshot(snapshotId);
    if (to == null || !SnapshotUtil.isAncestorOf(t, t.currentSnapshot().snapshotId(), snapshotId)) {
      throw new ConfigException(
          "snapshot " + snapshotId + " is not in " + training + "'s history: read it with next");
    }
    Cursor cursor = current(trainer, training);
    if (cursor != null
        && cursor.snapshotId() != snapshotId
        && !SnapshotUtil.isAncestorOf(t, snapshotId, cursor.snapshotId())) {
      throw new ConfigException(
          "trainer "
              + trainer
              + "'s cursor is at snapshot "
              + cursor.snapshotId()
              + ", not before "
              + snapshotId
              + ": another commit moved it; read the batch again");
    }
    long rows =
        cursor == null
            ? spark
                .read()
                .option("versionAsOf", String.valueOf(snapshotId))
                .table(tables.name(training))
                .count()
            : cursor.snapshotId() == snapshotId
                ? 0
                : spark
                    .read()
                    .option("start-snapshot-id", String.valueOf(cursor.snapshotId()))
                    .option("end-snapshot-id", String.valueOf(snapshotId))
                    .table(tables.name(training))
                    .count();
    Cursor c =
        new Cursor(
            trainer,
            training,
            snapshotId,
            finalThrough(training, to),
            rows,
            modelVersion,
            baseModel,
            Instant.now());
    append(c);
    return c;
  }

  /** Every cursor commit, oldest first: the trainers' progress and the models' lineage. */
  public List<Cursor> history() {
    if (!tables.exists(CURSORS)) {
      return List.of();
    }
    List<Cursor> out = new ArrayList<>();
    for (Row r : spark.table(tables.name(CURSORS)).orderBy("committed_at").collectAsList()) {
      out.add(cursor(r));
    }
    return out;
  }

  /** The latest cursor of each trainer on each table. */
  public List<Cursor> current() {
    Map<String, Cursor> latest = new java.util.LinkedHashMap<>();
    for (Cursor c : history()) {
      latest.put(c.trainer() + "\u0000" + c.table(), c);
    }
    return List.copyOf(latest.values());
  }

  private Cursor current(String trainer, String training) {
    Cursor out = null;
    for (Cursor c : history()) {
      if (c.trainer().equals(trainer) && c.table().equals(training)) {
        out = c;
      }
    }
    return out;
  }

  private void append(Cursor c) {
    String name = tables.name(CURSORS);
    spark.sql("CREATE TABLE IF NOT EXISTS " + name + " (" + COLUMNS + ") USING iceberg");
    Row r =
        RowFactory.create(
            c.trainer(),
            c.table(),
            c.snapshotId(),
            c.finalThrough() == null ? null : Timestamp.from(c.finalThrough()),
            c.rows(),
            c.modelVersion(),
            c.baseModel(),
            Timestamp.from(c.committedAt()));
    try {
      spark.createDataFrame(List.of(r), StructType.fromDDL(COLUMNS)).writeTo(name).append();
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException(name + " vanished after it was created", e);
    }
  }

  private static Cursor cursor(Row r) {
    return new Cursor(
        r.getString(0),
        r.getString(1),
        r.getLong(2),
        r.isNullAt(3) ? null : r.getTimestamp(3).toInstant(),
        r.isNullAt(4) ? 0 : r.getLong(4),
        r.getString(5),
        r.getString(6),
        r.getTimestamp(7).toInstant());
  }

  private Instant finalThrough(String training, Snapshot s) {
    String cutoff = tables.summaryOf(training, s).get(CUTOFF);
    return cutoff == null ? null : Instant.ofEpochMilli(Long.parseLong(cutoff) / 1000);
  }

  private Dataset<Row> empty(String training) {
    return spark.table(tables.name(training)).limit(0);
  }

  /** As {@link Tables#training(String)}. */
  public String training(String table) {
    return tables.training(table);
  }
}
