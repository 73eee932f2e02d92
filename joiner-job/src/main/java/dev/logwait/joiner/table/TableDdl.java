package dev.logwait.joiner.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.days;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The tables' definitions and properties: created where missing, never altered otherwise. */
public final class TableDdl {
  /** Lets appends with {@code merge-schema} add columns and struct fields. */
  static final String ACCEPT_ANY_SCHEMA = "write.spark.accept-any-schema";

  /**
   * Properties of the tables logwait only appends to. Tables that are also updated row by row
   * ({@code training_<set>}, {@code quarantine}) go without {@link #ACCEPT_ANY_SCHEMA}: with it,
   * Spark 4.1 cannot resolve a MERGE into the table (joiner-job/README.md, "Known platform
   * problems"); their new columns are added before an append instead ({@link #addMissingColumns}).
   */
  static final Map<String, String> TABLE_PROPERTIES =
      Map.of("format-version", "2", ACCEPT_ANY_SCHEMA, "true");

  /** Properties of the tables that are also updated row by row. */
  static final Map<String, String> UPDATABLE_TABLE_PROPERTIES = Map.of("format-version", "2");

  /**
   * Properties of the wide tables ({@code raw_predictions}, {@code training_<set>}), besides {@link
   * #TABLE_PROPERTIES}: no Parquet dictionary encoding except for the envelope's low-cardinality
   * strings. Feature values are mostly distinct, so building (and then abandoning) a dictionary per
   * column chunk cost ~45% of the write (BENCHMARKS.md); zstd still compresses repeated values. A
   * table owner can turn it back on with {@code ALTER TABLE ... SET TBLPROPERTIES
   * ('parquet.enable.dictionary'='true')}.
   */
  static final Map<String, String> WIDE_TABLE_PROPERTIES = wideTableProperties();

  /** {@link #WIDE_TABLE_PROPERTIES} for training tables: without {@link #ACCEPT_ANY_SCHEMA}. */
  static final Map<String, String> TRAINING_TABLE_PROPERTIES = trainingTableProperties();

  /**
   * Columns that hold identifiers of people or predictions, by the kind of rows a table holds.
   * Iceberg keeps per-file lower and upper bounds of every column in its manifests (strings and
   * bytes cut to 16 characters), which would keep the very values an erasure removes; these columns
   * keep counts only ({@code write.metadata.metrics.column.<c> = counts}). No pruning is lost:
   * logwait never filters on them.
   */
  public static final List<String> PREDICTION_IDENTIFIERS =
      List.of("prediction_id", "request_id", "kafka_key", "kafka_value");

  /** As {@link #PREDICTION_IDENTIFIERS}, for {@code raw_labels}. */
  public static final List<String> LABEL_IDENTIFIERS = List.of("event_id", "prediction_id");

  /** As {@link #PREDICTION_IDENTIFIERS}, for {@code quarantine} (the message's key and bytes). */
  public static final List<String> MESSAGE_IDENTIFIERS = List.of("key", "value");

  private static final String METRICS = "write.metadata.metrics.column.";

  private final SparkSession spark;
  private final Tables tables;

  public TableDdl(SparkSession spark, Tables tables) {
    this.spark = spark;
    this.tables = tables;
  }

  /** {@code properties} with counts-only metrics for {@code identifiers}. */
  private static Map<String, String> with(
      Map<String, String> properties, List<String> identifiers) {
    Map<String, String> p = new LinkedHashMap<>(properties);
    identifiers.forEach(c -> p.put(METRICS + c, "counts"));
    return p;
  }

  /**
   * Makes the files {@code table} writes from now on keep no bounds for those of {@code columns} it
   * has (one metadata commit; nothing when already so).
   */
  public void dropIdentifierBounds(String table, List<String> columns) {
    org.apache.iceberg.Table t = tables.iceberg(table);
    List<String> present = Arrays.asList(spark.table(tables.name(table)).columns());
    org.apache.iceberg.UpdateProperties update = null;
    for (String c : columns) {
      if (present.contains(c) && !"counts".equals(t.properties().get(METRICS + c))) {
        update = update == null ? t.updateProperties() : update;
        update.set(METRICS + c, "counts");
      }
    }
    if (update != null) {
      update.commit();
    }
  }

  private static Map<String, String> wideTableProperties() {
    Map<String, String> p = new LinkedHashMap<>(TABLE_PROPERTIES);
    p.put("parquet.enable.dictionary", "false");
    for (String c : new String[] {"model_name", "model_version", "action", "feature_set"}) {
      p.put("write.parquet.dict-encoding-enabled.column." + c, "true");
    }
    return Collections.unmodifiableMap(p);
  }

  private static Map<String, String> trainingTableProperties() {
    Map<String, String> p = new LinkedHashMap<>(WIDE_TABLE_PROPERTIES);
    p.remove(ACCEPT_ANY_SCHEMA);
    // a training table holds one feature set: it has no feature_set column, and Parquet warns
    // about settings for columns that do not exist
    p.remove("write.parquet.dict-encoding-enabled.column.feature_set");
    return Collections.unmodifiableMap(p);
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

  /** Creates the namespace and the fixed tables where missing; gives each a first snapshot. */
  public void createIfMissing() {
    if (ready()) {
      return;
    }
    String props = tblProperties(TABLE_PROPERTIES);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + tables.namespace());
    create(
        Tables.RAW_PREDICTIONS,
        "prediction_id STRING NOT NULL, request_id STRING, served_at TIMESTAMP NOT NULL,"
            + " model_name STRING, model_version STRING, entity_keys MAP<STRING, STRING>,"
            + " prediction DOUBLE, propensity DOUBLE, action STRING, sample_rate DOUBLE,"
            + " feature_set STRING, feature_set_version INT, schema_fingerprint STRING,"
            + " kafka_topic STRING, kafka_partition INT, kafka_offset BIGINT, kafka_timestamp"
            + " TIMESTAMP, kafka_key BINARY, kafka_value BINARY, ingested_at TIMESTAMP",
        " PARTITIONED BY (days(served_at))"
            + tblProperties(with(WIDE_TABLE_PROPERTIES, PREDICTION_IDENTIFIERS)));
    create(
        Tables.RAW_LABELS,
        "event_id STRING NOT NULL, label_name STRING, value DOUBLE, occurred_at TIMESTAMP NOT"
            + " NULL, prediction_id STRING, entity_keys MAP<STRING, STRING>, kafka_partition INT,"
            + " kafka_offset BIGINT, ingested_at TIMESTAMP",
        " PARTITIONED BY (days(occurred_at))"
            + tblProperties(with(TABLE_PROPERTIES, LABEL_IDENTIFIERS)));
    create(
        Tables.QUARANTINE,
        "topic STRING, kafka_partition INT, kafka_offset BIGINT, kafka_timestamp TIMESTAMP,"
            + " key BINARY, value BINARY, reason STRING, detail STRING, ingested_at TIMESTAMP,"
            + " run_id STRING, resolved_at TIMESTAMP, resolved_by STRING",
        " PARTITIONED BY (days(ingested_at))"
            + tblProperties(with(UPDATABLE_TABLE_PROPERTIES, MESSAGE_IDENTIFIERS)));
    create(
        Tables.RUNS,
        "run_id STRING, command STRING, started_at TIMESTAMP, finished_at TIMESTAMP, status"
            + " STRING, config_hash STRING, offsets STRING, snapshots STRING, counts MAP<STRING,"
            + " BIGINT>, label_watermark TIMESTAMP, data_loss STRING, health STRING, error STRING",
        props);
    if (!Arrays.asList(spark.table(tables.name(Tables.RUNS)).columns()).contains("error")) {
      // runs tables created before failed runs were recorded
      spark.sql("ALTER TABLE " + tables.name(Tables.RUNS) + " ADD COLUMN error STRING");
    }
    if (!Arrays.asList(spark.table(tables.name(Tables.QUARANTINE)).columns())
        .contains("resolved_at")) {
      // quarantine tables created before `requeue` existed
      spark.sql(
          "ALTER TABLE "
              + tables.name(Tables.QUARANTINE)
              + " ADD COLUMNS (resolved_at TIMESTAMP, resolved_by STRING)");
    }
    forRowUpdates(Tables.QUARANTINE);
    for (String t : new String[] {Tables.RAW_PREDICTIONS, Tables.RAW_LABELS, Tables.QUARANTINE}) {
      tables.ensureSnapshot(t);
    }
  }

  /**
   * Whether every table a run writes exists in its current shape (a run's usual case), checked
   * through Iceberg's API: no SQL, so a run with nothing new stays cheap. Reads only: a run checks
   * this while it waits for Kafka to answer, before it may create anything.
   */
  public boolean ready() {
    for (String table :
        new String[] {Tables.RAW_PREDICTIONS, Tables.RAW_LABELS, Tables.QUARANTINE, Tables.RUNS}) {
      if (!tables.exists(table)) {
        return false;
      }
    }
    org.apache.iceberg.Table quarantine = tables.iceberg(Tables.QUARANTINE);
    return tables.iceberg(Tables.RUNS).schema().findField("error") != null
        && quarantine.schema().findField("resolved_at") != null
        && !"true".equals(quarantine.properties().get(ACCEPT_ANY_SCHEMA))
        && tables.iceberg(Tables.RAW_PREDICTIONS).currentSnapshot() != null
        && tables.iceberg(Tables.RAW_LABELS).currentSnapshot() != null
        && quarantine.currentSnapshot() != null;
  }

  private void create(String table, String columns, String clauses) {
    spark.sql(
        "CREATE TABLE IF NOT EXISTS "
            + tables.name(table)
            + " ("
            + columns
            + ") USING iceberg"
            + clauses);
  }

  /** Creates an empty training table shaped like the rows; returns its first snapshot. */
  public long createTraining(String training, Dataset<Row> rows) {
    try {
      var w = rows.limit(0).writeTo(tables.name(training)).partitionedBy(days(col("served_at")));
      for (Map.Entry<String, String> e :
          with(TRAINING_TABLE_PROPERTIES, List.of("prediction_id", "request_id")).entrySet()) {
        w = w.tableProperty(e.getKey(), e.getValue());
      }
      w.create();
    } catch (org.apache.spark.sql.catalyst.analysis.TableAlreadyExistsException e) {
      // another run created it first; commit against its snapshot
    } catch (RuntimeException e) {
      // Another run's create won the race to the first metadata version: some catalogs (Hadoop)
      // say so with a failed commit rather than "already exists".
      if (!createdByAnother(e) || !tables.exists(training)) {
        throw e;
      }
    }
    return tables.ensureSnapshot(training).snapshotId();
  }

  /**
   * Readies a table created by an earlier version (with {@link #ACCEPT_ANY_SCHEMA}) for MERGE: the
   * property is turned off once; its appends then add new columns first ({@link
   * #addMissingColumns}).
   */
  public void forRowUpdates(String table) {
    org.apache.iceberg.Table t = tables.iceberg(table);
    if ("true".equals(t.properties().get(ACCEPT_ANY_SCHEMA))) {
      t.updateProperties().set(ACCEPT_ANY_SCHEMA, "false").commit();
    }
  }

  /**
   * Adds the top-level columns of {@code rows} that {@code table} lacks (new features, new label
   * specs), unless the table accepts any schema on append. Nullable, as Iceberg adds columns.
   */
  public void addMissingColumns(String table, StructType rows) {
    org.apache.iceberg.Table t = tables.iceberg(table);
    if ("true".equals(t.properties().get(ACCEPT_ANY_SCHEMA))) {
      return;
    }
    java.util.List<String> have = Arrays.asList(tables.schema(table).fieldNames());
    java.util.List<String> add = new java.util.ArrayList<>();
    for (StructField f : rows.fields()) {
      if (!have.contains(f.name())) {
        add.add("`" + f.name() + "` " + f.dataType().sql());
      }
    }
    if (!add.isEmpty()) {
      spark.sql(
          "ALTER TABLE " + tables.name(table) + " ADD COLUMNS (" + String.join(", ", add) + ")");
    }
  }

  private static boolean createdByAnother(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof org.apache.iceberg.exceptions.CommitFailedException
          || c instanceof org.apache.iceberg.exceptions.AlreadyExistsException) {
        return true;
      }
    }
    return false;
  }
}
