package dev.logwait.joiner.trainer;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.table.ConcurrentRunException;
import dev.logwait.joiner.table.Tables;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What a trainer reads and commits: the trainers' Java API. {@link #since} gives the training rows
 * committed since the trainer's cursor — the whole table as of its current snapshot on a trainer's
 * first read, then only rows appended by later snapshots (Iceberg's incremental append scan: a
 * restatement's overwrite, a deletion and a compaction's rewrite add no rows and are skipped, so
 * every row is delivered once, as first finalized). Nothing moves until {@link #commit}: a trainer
 * that crashes before it gets the same rows again; two trainers have independent cursors.
 *
 * <p>A commit is accepted only for the batch that starts where the trainer's cursor is: when the
 * cursor moved since the batch was read (another instance of the same trainer committed, or this
 * batch was committed already), {@link CommitRefusedException} refuses it and nothing is recorded,
 * so the lineage never records a batch other than the one read.
 *
 * <pre>{@code
 * TrainingData data = TrainingData.open(spark, "logwait.logwait"); // the joiner's catalog.namespace
 * TrainingData.Batch batch = data.since("ctr-finetune", "training_ranker");
 * Model m = train(baseModel, batch.rows());       // labels final through batch.finalThrough()
 * data.commit(batch, "ctr-v42", "ctr-v41");      // the model produced, and the one it started from
 * }</pre>
 *
 * <p>Not thread-safe; use one instance per thread. The session must have the joiner's catalog
 * configured (the {@code spark.sql.catalog.<name>.*} properties).
 */
public final class TrainingData {
  public static final String CURSORS = CursorLog.TABLE;

  /** Snapshot property of training commits: the label watermark they are final through. */
  static final String CUTOFF = "logwait.cutoff";

  /** Attempts at a commit that another trainer's commit raced (the cursor table changed). */
  private static final int ATTEMPTS = 5;

  private final SparkSession spark;
  private final Tables tables;
  private final CursorLog log;
  private final Carry carry;

  public TrainingData(SparkSession spark, JoinerConfig config) {
    this(spark, new Tables(spark, config));
  }

  private TrainingData(SparkSession spark, Tables tables) {
    this.spark = spark;
    this.tables = tables;
    this.log = new CursorLog(spark, tables);
    this.carry = new Carry(spark, tables);
  }

  /**
   * The training data of the joiner whose tables live in {@code namespace}.
   *
   * @param spark a session with the joiner's Iceberg catalog configured
   * @param namespace {@code catalog.namespace}, e.g. {@code logwait.logwait} (the joiner's {@code
   *     catalog.name} and {@code namespace} settings)
   */
  public static TrainingData open(SparkSession spark, String namespace) {
    return new TrainingData(spark, new Tables(spark, namespace));
  }

  /**
   * The rows a trainer has not consumed.
   *
   * @param fromSnapshotExclusive the trainer's cursor (null on its first read)
   * @param toSnapshot the training table's snapshot read through (null: the table is empty)
   * @param finalThrough labels are final through this time (the watermark of {@code toSnapshot})
   * @param carried whether the batch also holds rows an erasure carried the cursor past (unread
   *     rows of snapshots that had to be expired; {@link Cursor#ERASURE})
   */
  public record Batch(
      String trainer,
      String table,
      Long fromSnapshotExclusive,
      Long toSnapshot,
      Instant finalThrough,
      Dataset<Row> rows,
      boolean carried) {
    /** Whether the batch holds no row. */
    public boolean empty() {
      return toSnapshot == null || (toSnapshot.equals(fromSnapshotExclusive) && !carried);
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
    boolean carried = cursor != null && cursor.carries();
    if (head == null || (from != null && from == head.snapshotId() && !carried)) {
      Long to = head == null ? null : head.snapshotId();
      return new Batch(
          trainer,
          training,
          from,
          to,
          cursor == null ? null : cursor.finalThrough(),
          empty(training),
          false);
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
    return new Batch(
        trainer,
        training,
        from,
        head.snapshotId(),
        finalThrough(training, head),
        rows(training, cursor, head.snapshotId()),
        carried);
  }

  /**
   * Moves {@code batch.trainer()}'s cursor to the end of {@code batch}, recording the model it
   * produced and the one it started from.
   *
   * @throws CommitRefusedException when the cursor is no longer where the batch starts (another
   *     commit of the same trainer, or this batch committed already) or the batch is empty; nothing
   *     is recorded
   */
  public Cursor commit(Batch batch, String modelVersion, String baseModel) {
    if (batch.empty()) {
      throw new CommitRefusedException(
          "trainer "
              + batch.trainer()
              + "'s batch of "
              + batch.table()
              + " is empty"
              + (batch.toSnapshot() == null ? " (the table has no rows yet)" : "")
              + ": nothing to commit");
    }
    return commit(
        batch.trainer(),
        batch.table(),
        batch.fromSnapshotExclusive(),
        batch.toSnapshot(),
        modelVersion,
        baseModel);
  }

  /**
   * As {@link #commit(Batch, String, String)}, for a batch a trainer read itself (a trainer outside
   * the JVM): the snapshots after {@code afterSnapshot} (null: a first read, from the table's
   * start) through {@code snapshotId}.
   *
   * @throws ConfigException when the snapshots are not a batch of the table's history
   * @throws CommitRefusedException when the trainer's cursor is not at {@code afterSnapshot}
   */
  public Cursor commit(
      String trainer,
      String table,
      Long afterSnapshot,
      long snapshotId,
      String modelVersion,
      String baseModel) {
    return commit(trainer, table, afterSnapshot, snapshotId, modelVersion, baseModel, null);
  }

  /**
   * As {@link #commit(String, String, Long, long, String, String)}, for a batch exported with its
   * row count ({@link BatchExport}): refused as well when the snapshots hold another number of rows
   * than the batch did (a manifest edited, or of another table).
   *
   * @param expectedRows the batch's row count, or null (not checked)
   */
  public Cursor commit(
      String trainer,
      String table,
      Long afterSnapshot,
      long snapshotId,
      String modelVersion,
      String baseModel,
      Long expectedRows) {
    if (trainer == null || trainer.isBlank()) {
      throw new ConfigException("a cursor needs a trainer name");
    }
    if (modelVersion == null || modelVersion.isBlank()) {
      throw new ConfigException("a commit names the model version it produced");
    }
    String training = training(table);
    for (int attempt = 1; ; attempt++) {
      CursorLog.Read read = log.read();
      Cursor at = read.latest(trainer, training);
      Long cursor = at == null ? null : at.snapshotId();
      requireBatch(training, afterSnapshot, snapshotId, at != null && at.carries());
      if (!java.util.Objects.equals(cursor, afterSnapshot)) {
        throw CommitRefusedException.cursorMoved(trainer, training, afterSnapshot, snapshotId, at);
      }
      Cursor c =
          new Cursor(
              trainer,
              training,
              snapshotId,
              finalThrough(training, tables.iceberg(training).snapshot(snapshotId)),
              rowsOf(training, at, snapshotId, expectedRows),
              modelVersion,
              baseModel,
              Instant.now(),
              afterSnapshot,
              Cursor.TRAINER);
      try {
        log.append(read, c);
        return c;
      } catch (ConcurrentRunException e) {
        if (attempt == ATTEMPTS) {
          throw new IllegalStateException(
              "the cursors table changed under " + ATTEMPTS + " attempts to commit; try again", e);
        }
        // another trainer's move landed first: read again, and check again
      }
    }
  }

  /** Every cursor move, oldest first: the trainers' progress and the models' lineage. */
  public List<Cursor> history() {
    return log.read().moves();
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
    return log.read().latest(trainer, training);
  }

  /**
   * The rows of the batch after {@code at} through {@code to}, refused when the trainer named
   * another count ({@code expected}, null: not checked): its manifest is not this batch's.
   */
  private long rowsOf(String training, Cursor at, long to, Long expected) {
    long n = rows(training, at, to).count();
    if (expected != null && n != expected) {
      throw new CommitRefusedException(
          "the batch names "
              + expected
              + " rows, but the snapshots "
              + (at == null ? "from the start of " : "after " + at.snapshotId() + " of ")
              + training
              + " through "
              + to
              + " hold "
              + n
              + ": the manifest is not this batch's (edited, or of another table). Nothing was"
              + " committed; export the batch again with next --export.");
    }
    return n;
  }

  /** Refuses snapshots that are not a batch of the table's current history. */
  private void requireBatch(String training, Long after, long to, boolean carried) {
    Table t = tables.iceberg(training);
    long head = t.currentSnapshot() == null ? -1 : t.currentSnapshot().snapshotId();
    if (t.snapshot(to) == null || !SnapshotUtil.isAncestorOf(t, head, to)) {
      throw new ConfigException(
          "snapshot " + to + " is not in " + training + "'s history: read a batch with next");
    }
    boolean same = after != null && after == to && !carried;
    if (after != null
        && (same || t.snapshot(after) == null || !SnapshotUtil.isAncestorOf(t, to, after))) {
      throw new ConfigException(
          "snapshots after "
              + after
              + " through "
              + to
              + " are not a batch of "
              + training
              + (same ? " (an empty one: nothing to commit)" : "")
              + ": commit the from_snapshot_exclusive and to_snapshot that next gave");
    }
  }

  /**
   * The rows of a batch through {@code to} after the cursor {@code at} (null: a first read, the
   * table as of {@code to}): those appended since, and those an erasure carried it past.
   */
  private Dataset<Row> rows(String training, Cursor at, long to) {
    if (at == null) {
      return tables.readAt(training, to);
    }
    Dataset<Row> appended =
        at.snapshotId() == to
            ? empty(training)
            : spark
                .read()
                .option("start-snapshot-id", String.valueOf(at.snapshotId()))
                .option("end-snapshot-id", String.valueOf(to))
                .table(tables.name(training));
    return at.carries()
        ? carry.rows(at, tables.readAt(training, to)).unionByName(appended, true)
        : appended;
  }

  private Instant finalThrough(String training, Snapshot s) {
    return finalThrough(tables, training, s);
  }

  /** The label watermark a training snapshot is final through (null: not a join's snapshot). */
  static Instant finalThrough(Tables tables, String training, Snapshot s) {
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
