package dev.logwait.joiner.table;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.kafka.Positions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The joiner's Iceberg tables by name, and what logwait reads of them: current and past snapshots,
 * and the Kafka position every snapshot commits (its complete offset map).
 */
public final class Tables {
  /** Snapshot property: the complete map {@code topic/partition -> next offset}. */
  private static final String OFFSETS = "logwait.offsets";

  public static final String RAW_PREDICTIONS = "raw_predictions";
  public static final String RAW_LABELS = "raw_labels";
  public static final String QUARANTINE = "quarantine";
  public static final String RUNS = "runs";
  public static final String TRAINING_PREFIX = "training_";

  private final SparkSession spark;
  private final String namespace;

  public Tables(SparkSession spark, JoinerConfig config) {
    this(spark, config.table("").replaceAll("\\.$", ""));
  }

  /**
   * The tables of {@code namespace} ({@code catalog.namespace}, as Spark names it).
   *
   * @throws ConfigException when it is not of that form
   */
  public Tables(SparkSession spark, String namespace) {
    if (namespace == null || !namespace.matches("[^.\\s]+\\.[^\\s]+")) {
      throw new ConfigException(
          "'" + namespace + "' is not a catalog and a namespace, e.g. logwait.logwait");
    }
    this.spark = spark;
    this.namespace = namespace;
  }

  /** {@code catalog.namespace.table}. */
  public String name(String table) {
    return namespace + "." + table;
  }

  /** {@code catalog.namespace}. */
  public String namespace() {
    return namespace;
  }

  /** The snapshot property that commits a position. */
  public static Map<String, String> positionProperty(Positions position) {
    return Map.of(OFFSETS, position.toJson());
  }

  /**
   * Gives a new table an empty first snapshot with an empty position, so that every later commit
   * can be checked against the snapshot its run started from. Returns the current snapshot.
   */
  public Snapshot ensureSnapshot(String table) {
    Table t = iceberg(table);
    if (t.currentSnapshot() == null) {
      t.newAppend().set(OFFSETS, "{}").commit();
    }
    return t.currentSnapshot();
  }

  /** The tables whose current snapshot was committed by run {@code runId}. */
  public List<String> committedBy(String runId) {
    List<String> out = new ArrayList<>();
    for (String t : names()) {
      if (!t.equals(RUNS) && runId.equals(BranchCommit.runOf(summary(t)))) {
        out.add(t);
      }
    }
    return out;
  }

  /** Every table of the namespace, by short name. */
  public List<String> names() {
    List<String> out = new ArrayList<>();
    for (Row r : spark.sql("SHOW TABLES IN " + namespace()).collectAsList()) {
      out.add(r.getString(1));
    }
    return out;
  }

  /**
   * A training table's short name: {@code wanted} (with or without {@code training_}), or the only
   * training table when null.
   *
   * @throws ConfigException when there is no such table, none, or (without a name) several
   */
  public String training(String wanted) {
    List<String> training = names().stream().filter(n -> n.startsWith(TRAINING_PREFIX)).toList();
    if (wanted != null) {
      String name = wanted.startsWith(TRAINING_PREFIX) ? wanted : TRAINING_PREFIX + wanted;
      if (!training.contains(name)) {
        throw new ConfigException(
            "no training table " + name + " in " + namespace() + "; there are " + training);
      }
      return name;
    }
    if (training.size() != 1) {
      throw new ConfigException(
          training.isEmpty()
              ? "no training table yet in " + namespace() + ": run the joiner first"
              : "more than one training table " + training + ": name one with --table");
    }
    return training.get(0);
  }

  /** The table as of a snapshot (time travel), as Spark reads it. */
  public Dataset<Row> readAt(String table, long snapshotId) {
    return spark.read().option("versionAsOf", String.valueOf(snapshotId)).table(name(table));
  }

  /**
   * The rows one append snapshot added (an Iceberg incremental read from its parent), not the rows
   * of other commits, however close in time.
   */
  public Dataset<Row> appendedBy(String table, long snapshotId) {
    Snapshot s = iceberg(table).snapshot(snapshotId);
    if (s.parentId() == null) {
      return readAt(table, snapshotId);
    }
    return spark
        .read()
        .option("start-snapshot-id", String.valueOf(s.parentId()))
        .option("end-snapshot-id", String.valueOf(snapshotId))
        .table(name(table));
  }

  /** The table's current schema, as Spark sees it. */
  public StructType schema(String table) {
    return spark.table(name(table)).schema();
  }

  public boolean exists(String table) {
    return spark.catalog().tableExists(name(table));
  }

  public Table iceberg(String table) {
    try {
      Table t = Spark3Util.loadIcebergTable(spark, name(table));
      t.refresh();
      return t;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot load table " + name(table) + ": " + e, e);
    }
  }

  /**
   * The current snapshot's summary (its {@linkplain #logical logical} snapshot's), or an empty map
   * for a table without snapshots.
   */
  public Map<String, String> summary(String table) {
    Table t = iceberg(table);
    Snapshot s = t.currentSnapshot();
    return s == null ? Map.of() : logical(t, s).summary();
  }

  /**
   * As {@link #summaryAt(String, long)} for a snapshot at hand: loads the table only when {@code s}
   * is a rewrite.
   */
  public Map<String, String> summaryOf(String table, Snapshot s) {
    return org.apache.iceberg.DataOperations.REPLACE.equals(s.operation())
        ? summaryAt(table, s.snapshotId())
        : s.summary();
  }

  /** The summary of a snapshot's {@linkplain #logical logical} snapshot. */
  public Map<String, String> summaryAt(String table, long snapshotId) {
    Table t = iceberg(table);
    return logical(t, t.snapshot(snapshotId)).summary();
  }

  /**
   * The snapshot whose logwait properties describe {@code s}: {@code s} itself, or, when {@code s}
   * only rewrote files without changing rows (an Iceberg {@code replace}: {@code
   * rewrite_data_files}, {@code rewrite_manifests}, logwait's {@code maintain} or any other
   * compaction tool), the nearest ancestor that is not such a rewrite. A compaction therefore never
   * loses a table's Kafka position or join state, and needs no logwait properties itself.
   */
  public static Snapshot logical(Table t, Snapshot s) {
    Snapshot at = s;
    while (at != null
        && org.apache.iceberg.DataOperations.REPLACE.equals(at.operation())
        && at.parentId() != null) {
      Snapshot parent = t.snapshot(at.parentId());
      if (parent == null) {
        break; // expired: the rewrite is the oldest snapshot left
      }
      at = parent;
    }
    return at;
  }

  public Long snapshotId(String table) {
    Snapshot s = iceberg(table).currentSnapshot();
    return s == null ? null : s.snapshotId();
  }

  /** The position in a table's current snapshot; none for a table without one. */
  public Positions currentPosition(String table) {
    String json = summary(table).get(OFFSETS);
    return json == null ? Positions.NONE : Positions.fromJson(json);
  }

  /**
   * The position a table committed in a snapshot.
   *
   * @throws IllegalStateException when the table has snapshots but no logwait position: it was
   *     written by something else, and re-reading Kafka from the start would duplicate it
   */
  public Positions position(String table, long snapshotId) {
    Table t = iceberg(table);
    Snapshot s = logical(t, t.snapshot(snapshotId));
    String json = s.summary().get(OFFSETS);
    if (json == null) {
      throw new IllegalStateException(
          "Table "
              + name(table)
              + " has data but its current snapshot "
              + s.snapshotId()
              + " carries no "
              + OFFSETS
              + " property, so the Kafka position is unknown. logwait"
              + " will not re-read from the earliest offset. Restore a logwait snapshot"
              + " (CALL ...system.rollback_to_snapshot) or use an empty table.");
    }
    return Positions.fromJson(json);
  }
}
