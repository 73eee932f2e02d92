package dev.logwait.joiner.table;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_timestamp;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unhex;

import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code tombstones} table: the keys of what logwait deleted on purpose — predictions that
 * {@code discard} deleted after training, and the entity keys and predictions of a person {@code
 * forget} erased — so that a later copy of the same message (a producer's retry, a replay, a
 * logger's spool delivered after an outage) is dropped at ingest and counted instead of bringing
 * the deleted rows back. Deleted stays deleted; erased stays erased.
 *
 * <p>The table holds no plain identifier: each key is kept as the first 16 bytes of SHA-256 over a
 * random salt (a table property, made when the table is created), the key's kind and its value. A
 * prediction's tombstone also keeps the day it was served: copies of a prediction carry the same
 * serving time, so an ingest looks only at the tombstones of the days its batch holds. An entity's
 * tombstone (a person) has no day: every later prediction or label that carries the entity key is
 * dropped. Which tombstones can matter to a batch is found from the table's metadata alone, so a
 * batch they cannot touch costs no Spark job.
 *
 * <p>Cost and limits: one row (≈ 40 bytes before compression) per deleted prediction and per erased
 * entity key, kept for good; a 128-bit hash makes a false match about 1e-20 likely per key. Whoever
 * can read the table's properties can test a guessed key against it (pseudonymous, not anonymous).
 */
public final class Tombstones {
  public static final String TABLE = "tombstones";

  /** {@code reason} of the keys of rows {@code discard} deleted. */
  public static final String DISCARDED = "discarded";

  /** {@code reason} of the keys of a person {@code forget} erased. */
  public static final String ERASED = "erased";

  /** {@code kind} of a prediction's key. */
  public static final String PREDICTION_ID = "prediction_id";

  /**
   * {@code kind} of an entity key is this prefix and the key's name, e.g. {@code entity:user_id}.
   */
  public static final String ENTITY = "entity:";

  private static final String SALT = "logwait.tombstone-salt";

  static final String COLUMNS =
      "kind STRING NOT NULL, key_hash BINARY NOT NULL, served_day DATE, reason STRING NOT NULL,"
          + " recorded_at TIMESTAMP NOT NULL, run_id STRING";

  private final SparkSession spark;
  private final Tables tables;

  public Tombstones(SparkSession spark, Tables tables) {
    this.spark = spark;
    this.tables = tables;
  }

  /**
   * Records, ahead of their deletion, the prediction ids of {@code rows} (columns {@code
   * prediction_id}, {@code served_at}) as deleted for {@code reason}; keys already recorded for it
   * are not recorded again. One append commit; returns the number of new tombstones.
   */
  public long recordPredictions(Dataset<Row> rows, String reason, String runId) {
    Table t = create();
    return append(
        rows.select(
            lit(PREDICTION_ID).as("kind"),
            hash(salt(t), lit(PREDICTION_ID), col("prediction_id")).as("key_hash"),
            to_date(col("served_at")).as("served_day"),
            lit(reason).as("reason"),
            current_timestamp().as("recorded_at"),
            lit(runId).as("run_id")));
  }

  /**
   * Records entity keys ({@code name -> value} rows, columns {@code key}, {@code value}) as erased:
   * every later prediction or label event carrying one of them is dropped. Returns the number of
   * new tombstones.
   */
  public long recordEntities(Dataset<Row> keys, String runId) {
    Table t = create();
    return append(
        keys.select(
            concat(lit(ENTITY), col("key")).as("kind"),
            hash(salt(t), concat(lit(ENTITY), col("key")), col("value")).as("key_hash"),
            lit(null).cast(DataTypes.DateType).as("served_day"),
            lit(ERASED).as("reason"),
            current_timestamp().as("recorded_at"),
            lit(runId).as("run_id")));
  }

  /**
   * The tombstones that can match predictions served from {@code earliest} through {@code latest}:
   * deleted predictions of those days and erased entity keys. Null when there are none.
   */
  public TombstoneCheck forPredictions(Timestamp earliest, Timestamp latest) {
    Table t = existing();
    if (t == null || earliest == null) {
      return null;
    }
    LocalDate from = earliest.toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
    LocalDate to = latest.toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
    Set<Integer> days = new TreeSet<>();
    for (FileScanTask f :
        files(
            t,
            Expressions.and(
                Expressions.equal("kind", PREDICTION_ID),
                Expressions.greaterThanOrEqual("served_day", from.toString()),
                Expressions.lessThanOrEqual("served_day", to.toString())))) {
      Integer day = f.file().partition().get(0, Integer.class);
      if (day != null && day >= from.toEpochDay() && day <= to.toEpochDay()) {
        days.add(day);
      }
    }
    Dataset<Row> predictions =
        days.isEmpty()
            ? null
            : keys()
                .filter(col("kind").equalTo(PREDICTION_ID))
                .filter(col("served_day").between(lit(date(from)), lit(date(to))));
    return check(t, days, predictions);
  }

  /**
   * The tombstones that can match label events: erased predictions (a label naming one) and erased
   * entity keys. Null when there are none. (Labels of discarded predictions are kept: they can no
   * longer join anything.)
   */
  public TombstoneCheck forLabels() {
    Table t = existing();
    if (t == null) {
      return null;
    }
    boolean any =
        !files(
                t,
                Expressions.and(
                    Expressions.equal("kind", PREDICTION_ID), Expressions.equal("reason", ERASED)))
            .isEmpty();
    Dataset<Row> predictions =
        any
            ? keys()
                .filter(col("kind").equalTo(PREDICTION_ID))
                .filter(col("reason").equalTo(ERASED))
            : null;
    return check(t, null, predictions);
  }

  private TombstoneCheck check(Table t, Set<Integer> days, Dataset<Row> predictions) {
    boolean entities = !files(t, Expressions.isNull("served_day")).isEmpty();
    if (predictions == null && !entities) {
      return null;
    }
    Dataset<Row> entityKeys = entities ? keys().filter(col("served_day").isNull()) : null;
    return new TombstoneCheck(salt(t), days, predictions, entityKeys);
  }

  private Dataset<Row> keys() {
    return spark.table(tables.name(TABLE)).select("kind", "key_hash", "served_day", "reason");
  }

  private static java.util.List<FileScanTask> files(Table t, Expression filter) {
    java.util.List<FileScanTask> out = new java.util.ArrayList<>();
    try (CloseableIterable<FileScanTask> files = t.newScan().filter(filter).planFiles()) {
      files.forEach(out::add);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  private Table existing() {
    if (!tables.exists(TABLE)) {
      return null;
    }
    Table t = tables.iceberg(TABLE);
    return t.currentSnapshot() == null ? null : t;
  }

  private Table create() {
    spark.sql(
        "CREATE TABLE IF NOT EXISTS "
            + tables.name(TABLE)
            + " ("
            + COLUMNS
            + ") USING iceberg PARTITIONED BY (served_day) TBLPROPERTIES ('format-version'='2', '"
            + SALT
            + "'='"
            + newSalt()
            + "')");
    return tables.iceberg(TABLE);
  }

  /** Appends the tombstones not recorded yet (by kind and hash). */
  private long append(Dataset<Row> tombs) {
    String name = tables.name(TABLE);
    Dataset<Row> known =
        spark.table(name).select(col("kind").as("_kind"), col("key_hash").as("_h"));
    Dataset<Row> unique = tombs.dropDuplicates("kind", "key_hash");
    Dataset<Row> fresh =
        unique.join(
            known,
            unique
                .col("kind")
                .equalTo(known.col("_kind"))
                .and(unique.col("key_hash").equalTo(known.col("_h"))),
            "left_anti");
    fresh = RowUpdates.materialize(fresh);
    long n = fresh.count();
    if (n > 0) {
      try {
        fresh.writeTo(name).append();
      } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
        throw new IllegalStateException(name + " vanished after it was created", e);
      }
    }
    return n;
  }

  /** The first 16 bytes of SHA-256(salt ‖ kind ‖ ':' ‖ value). */
  public static Column hash(String salt, Column kind, Column value) {
    return unhex(substring(sha2(concat(lit(salt), kind, lit(":"), value), 256), 1, 32));
  }

  static Column hash(String salt, String kind, Column value) {
    return hash(salt, lit(kind), value);
  }

  private static String salt(Table t) {
    String salt = t.properties().get(SALT);
    if (salt == null) {
      throw new IllegalStateException(
          t.name() + " has no " + SALT + " property: its tombstones cannot be matched");
    }
    return salt;
  }

  /** The schema of {@code key, value} rows that {@link #recordEntities} takes. */
  public static StructType entityKeys() {
    return new StructType().add("key", DataTypes.StringType).add("value", DataTypes.StringType);
  }

  private static java.sql.Date date(LocalDate d) {
    return java.sql.Date.valueOf(d);
  }

  private static String newSalt() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
