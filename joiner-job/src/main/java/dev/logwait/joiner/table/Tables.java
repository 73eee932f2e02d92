package dev.logwait.joiner.table;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logwait.joiner.config.JoinerConfig;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;

/**
 * The joiner's Iceberg tables: their DDL, and the positions logwait commits in every snapshot's
 * summary (complete offset maps, label progress, cutoffs).
 */
public final class Tables {
  /** Snapshot property: the complete map {@code topic/partition -> next offset}. */
  public static final String OFFSETS = "logwait.offsets";

  /** Snapshot property on raw_labels: {@code partition -> latest occurred_at (micros)}. */
  public static final String LABEL_PROGRESS = "logwait.label-progress";

  /** Snapshot property on training tables: the label watermark the rows were finalized at. */
  public static final String CUTOFF = "logwait.cutoff";

  /**
   * Snapshot property on training tables: the earliest serving time (micros) whose windows were
   * still open at the cutoff; earlier predictions of the raw table it had read are all finalized.
   */
  public static final String OPEN_FROM = "logwait.open-from";

  /** Snapshot property on training tables: the raw table's offset map the join had read up to. */
  public static final String RAW_POSITION = "logwait.raw-position";

  public static final String RUN_ID = "logwait.run-id";

  public static final String RAW_PREDICTIONS = "raw_predictions";
  public static final String RAW_LABELS = "raw_labels";
  public static final String QUARANTINE = "quarantine";
  public static final String RUNS = "runs";
  public static final String TRAINING_PREFIX = "training_";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Progress of long work, for people watching a run (logger "logwait"). */
  public static final org.slf4j.Logger PROGRESS = org.slf4j.LoggerFactory.getLogger("logwait");

  public static String seconds(long startedNanos) {
    return String.format("%.1f", (System.nanoTime() - startedNanos) / 1e9);
  }

  /** Properties of every table logwait creates. */
  public static final Map<String, String> TABLE_PROPERTIES =
      Map.of("format-version", "2", "write.spark.accept-any-schema", "true");

  /**
   * Properties of the wide tables ({@code raw_predictions}, {@code training_<set>}), besides {@link
   * #TABLE_PROPERTIES}: no Parquet dictionary encoding except for the envelope's low-cardinality
   * strings. Feature values are mostly distinct, so building (and then abandoning) a dictionary per
   * column chunk cost ~45% of the write (BENCHMARKS.md); zstd still compresses repeated values. A
   * table owner can turn it back on with {@code ALTER TABLE ... SET TBLPROPERTIES
   * ('parquet.enable.dictionary'='true')}.
   */
  public static final Map<String, String> WIDE_TABLE_PROPERTIES = wideTableProperties();

  private static Map<String, String> wideTableProperties() {
    Map<String, String> p = new java.util.LinkedHashMap<>(TABLE_PROPERTIES);
    p.put("parquet.enable.dictionary", "false");
    for (String c : new String[] {"model_name", "model_version", "action", "feature_set"}) {
      p.put("write.parquet.dict-encoding-enabled.column." + c, "true");
    }
    return java.util.Collections.unmodifiableMap(p);
  }

  private static String tblProperties(Map<String, String> properties) {
    return " TBLPROPERTIES ("
        + String.join(
            ", ",
            properties.entrySet().stream()
                .map(e -> "'" + e.getKey() + "'='" + e.getValue() + "'")
                .toList())
        + ")";
  }

  private static final String PROPS = tblProperties(TABLE_PROPERTIES);

  private final SparkSession spark;
  private final JoinerConfig config;

  public Tables(SparkSession spark, JoinerConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public String name(String table) {
    return config.table(table);
  }

  /** Creates the namespace and the fixed tables where missing. */
  public void createIfMissing() {
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + config.table("").replaceAll("\\.$", ""));
    spark.sql(
        "CREATE TABLE IF NOT EXISTS "
            + name(RAW_PREDICTIONS)
            + " (prediction_id STRING NOT NULL,"
            + " request_id STRING, served_at TIMESTAMP NOT NULL, model_name STRING, model_version"
            + " STRING, entity_keys MAP<STRING, STRING>, prediction DOUBLE, propensity DOUBLE,"
            + " action STRING, sample_rate DOUBLE, feature_set STRING, feature_set_version INT,"
            + " kafka_partition INT, kafka_offset BIGINT, ingested_at TIMESTAMP)"
            + " USING iceberg PARTITIONED BY (days(served_at))"
            + tblProperties(WIDE_TABLE_PROPERTIES));
    spark.sql(
        "CREATE TABLE IF NOT EXISTS "
            + name(RAW_LABELS)
            + " (event_id STRING NOT NULL,"
            + " label_name STRING, value DOUBLE, occurred_at TIMESTAMP NOT NULL, prediction_id"
            + " STRING, entity_keys MAP<STRING, STRING>, kafka_partition INT, kafka_offset BIGINT,"
            + " ingested_at TIMESTAMP) USING iceberg PARTITIONED BY (days(occurred_at))"
            + PROPS);
    spark.sql(
        "CREATE TABLE IF NOT EXISTS "
            + name(QUARANTINE)
            + " (topic STRING, kafka_partition INT,"
            + " kafka_offset BIGINT, kafka_timestamp TIMESTAMP, key BINARY, value BINARY, reason"
            + " STRING, detail STRING, ingested_at TIMESTAMP, run_id STRING) USING iceberg"
            + " PARTITIONED BY (days(ingested_at))"
            + PROPS);
    spark.sql(
        "CREATE TABLE IF NOT EXISTS "
            + name(RUNS)
            + " (run_id STRING, command STRING, started_at"
            + " TIMESTAMP, finished_at TIMESTAMP, status STRING, config_hash STRING, offsets STRING,"
            + " snapshots STRING, counts MAP<STRING, BIGINT>, label_watermark TIMESTAMP,"
            + " data_loss STRING, health STRING, error STRING) USING iceberg"
            + PROPS);
    if (!java.util.Arrays.asList(spark.table(name(RUNS)).columns()).contains("error")) {
      // runs tables created before failed runs were recorded
      spark.sql("ALTER TABLE " + name(RUNS) + " ADD COLUMN error STRING");
    }
    for (String t : new String[] {RAW_PREDICTIONS, RAW_LABELS, QUARANTINE}) {
      ensureSnapshot(t);
    }
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

  /**
   * Commits rows (or, with {@code rows == null}, only the properties) to a table, atomically and
   * only if no other commit reached the table since {@code baseSnapshotId}: the rows are written to
   * a branch created at the base, and main is fast-forwarded to it, which Iceberg refuses when main
   * has moved on. Returns the number of rows added.
   *
   * @throws ConcurrentRunException when another run committed first; nothing was committed here
   */
  /** What a commit added: rows, and the snapshot that is now the table's main. */
  public record Committed(long rows, long snapshotId) {}

  public Committed commit(
      String table,
      long baseSnapshotId,
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows,
      Map<String, String> properties) {
    try {
      return commitThroughBranch(table, baseSnapshotId, rows, properties);
    } catch (ConcurrentRunException e) {
      throw e;
    } catch (Exception e) { // SparkException is checked, though Scala code throws it undeclared
      // Another writer's commit raced one of ours (branch creation, schema merge, fast-forward)
      // and Iceberg gave up retrying: main did not move for this run, so the run may start again.
      for (Throwable c = e; c != null; c = c.getCause()) {
        if (c instanceof org.apache.iceberg.exceptions.CommitFailedException) {
          throw new ConcurrentRunException(
              "Another logwait run committed to "
                  + name(table)
                  + " at the same time ("
                  + c.getMessage()
                  + "); this run's rows for it were not committed.",
              e);
        }
      }
      throw new TableWriteException(name(table), e);
    }
  }

  private Committed commitThroughBranch(
      String table,
      long baseSnapshotId,
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows,
      Map<String, String> properties) {
    long started = System.nanoTime();
    Table t = iceberg(table);
    removeStaleBranches(t, System.currentTimeMillis());
    String branch =
        BRANCH_PREFIX
            + System.currentTimeMillis()
            + "_"
            + java.util.UUID.randomUUID().toString().substring(0, 8);
    t.manageSnapshots().createBranch(branch, baseSnapshotId).commit();
    boolean removed = false;
    try {
      if (rows != null) {
        dev.logwait.joiner.CrashPoints.reached("writing-" + table);
        var w = alignTo(table, rows).writeTo(name(table) + ".branch_" + branch);
        w = w.option("merge-schema", "true");
        w = w.option("distribution-mode", "none").option("fanout-enabled", "true");
        for (Map.Entry<String, String> e : properties.entrySet()) {
          w = w.option("snapshot-property." + e.getKey(), e.getValue());
        }
        w.append();
      } else {
        org.apache.iceberg.AppendFiles append = t.newAppend().toBranch(branch);
        properties.forEach(append::set);
        append.commit();
      }
      t.refresh();
      long head = t.refs().get(branch).snapshotId();
      try {
        // One metadata commit: main moves to the branch's head, and the branch is gone.
        t.manageSnapshots()
            .fastForwardBranch(org.apache.iceberg.SnapshotRef.MAIN_BRANCH, branch)
            .removeBranch(branch)
            .commit();
        removed = true;
      } catch (IllegalArgumentException
          | org.apache.iceberg.exceptions.ValidationException
          | org.apache.iceberg.exceptions.CommitFailedException e) {
        // Iceberg refuses the fast-forward when main is no longer the branch's ancestor.
        t.refresh();
        Snapshot main = t.currentSnapshot();
        if (main == null || main.snapshotId() == baseSnapshotId) {
          throw e;
        }
        throw new ConcurrentRunException(
            "Another logwait run committed to "
                + name(table)
                + " after this run read it at"
                + " snapshot "
                + baseSnapshotId
                + " (now "
                + main.snapshotId()
                + "); this run's"
                + " rows for it were not committed.",
            e);
      }
      t.refresh();
      String added = t.snapshot(head).summary().get("added-records");
      long n = added == null ? 0 : Long.parseLong(added);
      PROGRESS.info("committed {} rows to {} in {} s", n, name(table), seconds(started));
      return new Committed(n, head);
    } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException("Table " + name(table) + " disappeared", e);
    } finally {
      if (!removed) {
        try {
          iceberg(table).manageSnapshots().removeBranch(branch).commit();
        } catch (RuntimeException e) {
          // A stale branch costs only a reference; a later run removes it.
        }
      }
    }
  }

  /** Prefix of the branches a run commits through; the creation time (millis) follows it. */
  static final String BRANCH_PREFIX = "logwait_";

  private static final java.util.regex.Pattern RUN_BRANCH =
      java.util.regex.Pattern.compile(BRANCH_PREFIX + "(\\d{13})_\\w+");

  /** A run's branch older than this was left by a run that died; it is removed. */
  static final long STALE_BRANCH_MILLIS = java.time.Duration.ofDays(1).toMillis();

  /**
   * Removes branches that runs which died mid-commit left behind (named {@code
   * logwait_<millis>_<id>}, older than a day). Returns how many.
   */
  static int removeStaleBranches(Table t, long nowMillis) {
    java.util.List<String> stale = new java.util.ArrayList<>();
    for (String name : t.refs().keySet()) {
      java.util.regex.Matcher m = RUN_BRANCH.matcher(name);
      if (m.matches() && Long.parseLong(m.group(1)) < nowMillis - STALE_BRANCH_MILLIS) {
        stale.add(name);
      }
    }
    if (stale.isEmpty()) {
      return 0;
    }
    try {
      org.apache.iceberg.ManageSnapshots remove = t.manageSnapshots();
      stale.forEach(remove::removeBranch);
      remove.commit();
      PROGRESS.info("removed {} stale branches of {}: {}", stale.size(), t.name(), stale);
      return stale.size();
    } catch (RuntimeException e) {
      return 0; // another run removed them first
    }
  }

  /** The tables whose current snapshot was committed by run {@code runId}. */
  public java.util.List<String> committedBy(String runId) {
    java.util.List<String> out = new java.util.ArrayList<>();
    String ns = config.table("").replaceAll("\\.$", "");
    for (org.apache.spark.sql.Row r : spark.sql("SHOW TABLES IN " + ns).collectAsList()) {
      String t = r.getString(1);
      if (!t.equals(RUNS) && runId.equals(summary(t).get(RUN_ID))) {
        out.add(t);
      }
    }
    return out;
  }

  /** The table as of a snapshot (time travel), as Spark reads it. */
  public org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> readAt(
      String table, long snapshotId) {
    return spark.read().option("versionAsOf", String.valueOf(snapshotId)).table(name(table));
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

  /** The current snapshot's summary, or an empty map for a table without snapshots. */
  public Map<String, String> summary(String table) {
    Snapshot s = iceberg(table).currentSnapshot();
    return s == null ? Map.of() : s.summary();
  }

  public Long snapshotId(String table) {
    Snapshot s = iceberg(table).currentSnapshot();
    return s == null ? null : s.snapshotId();
  }

  /**
   * The position a table committed in a snapshot.
   *
   * @throws IllegalStateException when the table has snapshots but no logwait position: it was
   *     written by something else, and re-reading Kafka from the start would duplicate it
   */
  public Map<String, Long> position(String table, long snapshotId) {
    Snapshot s = iceberg(table).snapshot(snapshotId);
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
    return readLongMap(json);
  }

  /**
   * Orders a Dataset's columns as the table's (Iceberg checks the order), fills the table's columns
   * the Dataset lacks with nulls, and puts new columns last, where schema merging adds them.
   */
  public org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> alignTo(
      String table, org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows) {
    org.apache.spark.sql.types.StructType target = spark.table(name(table)).schema();
    java.util.Set<String> have = new java.util.LinkedHashSet<>(java.util.List.of(rows.columns()));
    java.util.List<org.apache.spark.sql.Column> cols = new java.util.ArrayList<>();
    for (org.apache.spark.sql.types.StructField f : target.fields()) {
      cols.add(
          have.remove(f.name())
              ? org.apache.spark.sql.functions.col(f.name())
              : org.apache.spark.sql.functions.lit(null).cast(f.dataType()).as(f.name()));
    }
    have.forEach(c -> cols.add(org.apache.spark.sql.functions.col(c)));
    return rows.select(cols.toArray(org.apache.spark.sql.Column[]::new));
  }

  /**
   * Gives {@code rows} struct column {@code target} of exactly the target's type: the rows' own
   * fields in the target's order, those they lack (or the whole column) as nulls.
   */
  public static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> alignStruct(
      org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> rows,
      org.apache.spark.sql.types.StructField target) {
    String name = target.name();
    if (!java.util.Arrays.asList(rows.columns()).contains(name)) {
      return rows.withColumn(
          name, org.apache.spark.sql.functions.lit(null).cast(target.dataType()));
    }
    var have = (org.apache.spark.sql.types.StructType) rows.schema().apply(name).dataType();
    var want = (org.apache.spark.sql.types.StructType) target.dataType();
    if (have.sameType(want)) {
      return rows;
    }
    java.util.List<org.apache.spark.sql.Column> fields = new java.util.ArrayList<>();
    for (org.apache.spark.sql.types.StructField f : want.fields()) {
      org.apache.spark.sql.Column c =
          java.util.Arrays.asList(have.fieldNames()).contains(f.name())
              ? org.apache.spark.sql.functions.col(name + "." + f.name()).cast(f.dataType())
              : org.apache.spark.sql.functions.lit(null).cast(f.dataType());
      fields.add(c.as(f.name()));
    }
    return rows.withColumn(
        name,
        org.apache.spark.sql.functions.struct(fields.toArray(org.apache.spark.sql.Column[]::new)));
  }

  public static Map<String, Long> readLongMap(String json) {
    try {
      return new TreeMap<>(JSON.readValue(json, new TypeReference<Map<String, Long>>() {}));
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read logwait property " + json, e);
    }
  }

  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
