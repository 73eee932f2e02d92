package dev.logwait.joiner.bandit;

import dev.logwait.joiner.table.ConcurrentRunException;
import dev.logwait.joiner.table.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.avro.Avro;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.DateTimeUtil;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code router_state} table: one row per router, its statistics as of one training snapshot.
 * Read and written through Iceberg's own API (a few rows in one Avro file; no Spark job), so that a
 * stream's batches pay milliseconds for it. A commit replaces the table's files by one file holding
 * every router's row, and only if no other commit reached the table since it was read (Iceberg
 * validates from the snapshot read: a compare-and-swap on the table's snapshot); otherwise {@link
 * ConcurrentRunException} says so and nothing was committed.
 */
public final class StateTable {
  public static final String TABLE = "router_state";

  static final String COLUMNS =
      "router STRING NOT NULL, training_table STRING NOT NULL, training_snapshot BIGINT NOT NULL,"
          + " label_watermark TIMESTAMP, spec STRING NOT NULL, arms ARRAY<STRUCT<arm: STRING,"
          + " weight: DOUBLE, reward_sum: DOUBLE, reward_sum_squares: DOUBLE, rows: BIGINT>> NOT"
          + " NULL, committed_at TIMESTAMP NOT NULL, run_id STRING, recomputed BOOLEAN";

  /** Snapshot property: the router whose state a commit changed. */
  static final String ROUTER = "logwait.router";

  private final SparkSession spark;
  private final Tables tables;

  /** Every router's state as of one snapshot (null: no table or no snapshot yet), and its files. */
  public record Read(Long snapshotId, Map<String, RouterState> states, List<DataFile> files) {
    public RouterState get(String router) {
      return states.get(router);
    }
  }

  public StateTable(SparkSession spark, Tables tables) {
    this.spark = spark;
    this.tables = tables;
  }

  /** Every router's state as of the table's current snapshot. */
  public Read read() {
    if (!tables.exists(TABLE)) {
      return new Read(null, Map.of(), List.of());
    }
    Table t = tables.iceberg(TABLE);
    Snapshot head = t.currentSnapshot();
    if (head == null) {
      return new Read(null, Map.of(), List.of());
    }
    List<DataFile> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks =
        t.newScan().useSnapshot(head.snapshotId()).planFiles()) {
      tasks.forEach(task -> files.add(task.file()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, RouterState> states = new TreeMap<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(t).useSnapshot(head.snapshotId()).build()) {
      rows.forEach(r -> states.put((String) r.getField("router"), state(r)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Read(head.snapshotId(), Map.copyOf(states), List.copyOf(files));
  }

  /**
   * Writes {@code next} in place of its router's row, keeping every other router's, only if the
   * table is still at {@code base}'s snapshot.
   *
   * @throws ConcurrentRunException when another commit reached the table since {@code base}
   */
  void commit(Read base, RouterState next) {
    if (base.snapshotId() == null) {
      createIfMissing();
      Read empty = read();
      if (!empty.states().isEmpty()) {
        throw new ConcurrentRunException(
            "Another logwait run wrote " + tables.name(TABLE) + " first; read it again.", null);
      }
      base = empty;
    }
    Map<String, RouterState> all = new TreeMap<>(base.states());
    all.put(next.router(), next);
    Table t = tables.iceberg(TABLE);
    DataFile file = write(t, all.values());
    try {
      OverwriteFiles o = t.newOverwrite();
      base.files().forEach(o::deleteFile);
      o.addFile(file)
          .validateFromSnapshot(base.snapshotId())
          .conflictDetectionFilter(Expressions.alwaysTrue())
          .validateNoConflictingData()
          .validateNoConflictingDeletes()
          .set(ROUTER, next.router())
          .commit();
    } catch (ValidationException | CommitFailedException e) {
      t.io().deleteFile(file.location()); // never part of the table
      throw new ConcurrentRunException(
          "Another logwait run changed "
              + tables.name(TABLE)
              + " after this run read it at snapshot "
              + base.snapshotId()
              + "; router "
              + next.router()
              + "'s state was not committed.",
          e);
    }
  }

  /** Creates the table with a first (empty) snapshot that commits can be checked against. */
  private void createIfMissing() {
    try {
      spark.sql(
          "CREATE TABLE IF NOT EXISTS "
              + tables.name(TABLE)
              + " ("
              + COLUMNS
              + ") USING iceberg TBLPROPERTIES ('format-version'='2')");
    } catch (RuntimeException e) {
      // another run's create won the race to the first metadata version (some catalogs say so
      // with a failed commit rather than "already exists")
      if (!tables.exists(TABLE)) {
        throw e;
      }
    }
    tables.ensureSnapshot(TABLE);
  }

  private static DataFile write(Table t, Iterable<RouterState> states) {
    Schema schema = t.schema();
    Types.StructType arm = schema.findType("arms").asListType().elementType().asStructType();
    OutputFile out =
        t.io()
            .newOutputFile(
                t.locationProvider()
                    .newDataLocation(FileFormat.AVRO.addExtension("state-" + UUID.randomUUID())));
    DataWriter<Record> w;
    try {
      w =
          Avro.writeData(out)
              .forTable(t)
              .createWriterFunc(org.apache.iceberg.data.avro.DataWriter::create)
              .overwrite()
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (w) {
      for (RouterState s : states) {
        GenericRecord r = GenericRecord.create(schema);
        r.setField("router", s.router());
        r.setField("training_table", s.trainingTable());
        r.setField("training_snapshot", s.trainingSnapshot());
        r.setField(
            "label_watermark",
            s.labelWatermarkMicros() == null
                ? null
                : timestamp(schema, "label_watermark", s.labelWatermarkMicros()));
        r.setField("spec", s.spec());
        List<Record> arms = new ArrayList<>();
        for (ArmSums a : s.statistics().arms()) {
          GenericRecord x = GenericRecord.create(arm);
          x.setField("arm", a.arm());
          x.setField("weight", a.weight());
          x.setField("reward_sum", a.rewardSum());
          x.setField("reward_sum_squares", a.rewardSumSquares());
          x.setField("rows", a.rows());
          arms.add(x);
        }
        r.setField("arms", arms);
        r.setField("committed_at", timestamp(schema, "committed_at", s.committedAtMicros()));
        r.setField("run_id", s.runId());
        r.setField("recomputed", s.recomputed());
        w.write(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toDataFile();
  }

  private static RouterState state(Record r) {
    List<ArmSums> arms = new ArrayList<>();
    for (Object o : (List<?>) r.getField("arms")) {
      Record a = (Record) o;
      arms.add(
          new ArmSums(
              (String) a.getField("arm"),
              (Double) a.getField("weight"),
              (Double) a.getField("reward_sum"),
              (Double) a.getField("reward_sum_squares"),
              (Long) a.getField("rows")));
    }
    Object recomputed = r.getField("recomputed");
    return new RouterState(
        (String) r.getField("router"),
        (String) r.getField("training_table"),
        (Long) r.getField("training_snapshot"),
        micros(r.getField("label_watermark")),
        (String) r.getField("spec"),
        new Statistics(arms),
        micros(r.getField("committed_at")),
        (String) r.getField("run_id"),
        Boolean.TRUE.equals(recomputed));
  }

  /** Microseconds as the column's type holds them (with or without a zone). */
  private static Object timestamp(Schema schema, String column, long micros) {
    Types.TimestampType type = (Types.TimestampType) schema.findType(column);
    OffsetDateTime utc = DateTimeUtil.timestamptzFromMicros(micros);
    return type.shouldAdjustToUTC() ? utc : utc.toLocalDateTime();
  }

  private static Long micros(Object value) {
    if (value == null) {
      return null;
    }
    return value instanceof OffsetDateTime o
        ? DateTimeUtil.microsFromTimestamptz(o)
        : DateTimeUtil.microsFromTimestamp((java.time.LocalDateTime) value);
  }
}
