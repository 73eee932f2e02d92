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
import org.apache.iceberg.TableScan;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code tombstones} table: the keys of rows that logwait deleted on purpose ({@code discard}
 * after training), so that a later copy of the same message (a producer's retry, a replay, a
 * logger's spool delivered after an outage) is dropped at ingest and counted instead of bringing
 * the deleted rows back. Deleted stays deleted.
 *
 * <p>The table holds no plain identifier: each key is kept as the first 16 bytes of SHA-256 over a
 * random salt (a table property, made when the table is created), the key's kind and its value. A
 * prediction's tombstone also keeps the day it was served: copies of a prediction carry the same
 * serving time, so an ingest looks only at the tombstones of the days its batch holds, and a batch
 * with no tombstone in its days costs one look at the table's metadata (no Spark job).
 *
 * <p>Cost and limits: one row (≈ 40 bytes before compression) per deleted prediction, kept for
 * good; a 128-bit hash makes a false match (a new prediction dropped as a tombstone's) about 1e-20
 * likely per row. Whoever can read the table's properties can test a guessed key against it.
 */
public final class Tombstones {
  public static final String TABLE = "tombstones";

  /** {@code reason} of the keys of rows {@code discard} deleted. */
  public static final String DISCARDED = "discarded";

  /** {@code kind} of a prediction's key. */
  public static final String PREDICTION_ID = "prediction_id";

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
   * prediction_id}, {@code served_at}) as deleted for {@code reason}; keys already recorded are not
   * recorded again. One append commit; returns the number of new tombstones.
   */
  public long recordPredictions(Dataset<Row> rows, String reason, String runId) {
    String name = tables.name(TABLE);
    spark.sql(
        "CREATE TABLE IF NOT EXISTS "
            + name
            + " ("
            + COLUMNS
            + ") USING iceberg PARTITIONED BY (served_day) TBLPROPERTIES ('format-version'='2', '"
            + SALT
            + "'='"
            + newSalt()
            + "')");
    Dataset<Row> tombs =
        rows.select(
                lit(PREDICTION_ID).as("kind"),
                hash(PREDICTION_ID, col("prediction_id")).as("key_hash"),
                to_date(col("served_at")).as("served_day"),
                lit(reason).as("reason"),
                current_timestamp().as("recorded_at"),
                lit(runId).as("run_id"))
            .dropDuplicates("key_hash");
    Dataset<Row> known = spark.table(name).select(col("key_hash").as("_known"));
    Dataset<Row> fresh =
        tombs.join(known, tombs.col("key_hash").equalTo(known.col("_known")), "left_anti");
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

  /**
   * The tombstones that can match predictions served from {@code earliest} through {@code latest},
   * or null when there are none (found from the table's metadata alone).
   */
  public Check forPredictions(Timestamp earliest, Timestamp latest) {
    if (earliest == null || !tables.exists(TABLE)) {
      return null;
    }
    Table t = tables.iceberg(TABLE);
    if (t.currentSnapshot() == null) {
      return null;
    }
    LocalDate from = earliest.toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
    LocalDate to = latest.toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
    TableScan scan =
        t.newScan()
            .filter(
                Expressions.and(
                    Expressions.equal("kind", PREDICTION_ID),
                    Expressions.greaterThanOrEqual("served_day", from.toString()),
                    Expressions.lessThanOrEqual("served_day", to.toString())));
    Set<Integer> days = new TreeSet<>();
    try (CloseableIterable<FileScanTask> files = scan.planFiles()) {
      for (FileScanTask f : files) {
        Integer day = f.file().partition().get(0, Integer.class);
        if (day != null && day >= from.toEpochDay() && day <= to.toEpochDay()) {
          days.add(day);
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (days.isEmpty()) {
      return null;
    }
    Dataset<Row> keys =
        spark
            .table(tables.name(TABLE))
            .filter(col("kind").equalTo(PREDICTION_ID))
            .filter(col("served_day").between(lit(day(from)), lit(day(to))))
            .select(col("key_hash"), col("reason"));
    return new Check(days, keys, hashSalt(t));
  }

  /**
   * The tombstones of some days: {@link #matches} gives, for rows with {@code prediction_id} and
   * {@code served_at}, the Kafka coordinates and the reason of those it matches.
   */
  public record Check(Set<Integer> days, Dataset<Row> keys, String salt) {
    /** {@code _p}, {@code _o} (partition, offset) and {@code reason} of the matching rows. */
    public Dataset<Row> matches(Dataset<Row> rows) {
      Column inDays = epochDay(col("served_at")).isin(days.toArray());
      Dataset<Row> candidates =
          rows.filter(inDays)
              .select(
                  hash(salt, PREDICTION_ID, col("prediction_id")).as("_h"),
                  col("kafka_partition").as("_p"),
                  col("kafka_offset").as("_o"));
      return candidates
          .join(keys, candidates.col("_h").equalTo(keys.col("key_hash")), "inner")
          .select(col("_p"), col("_o"), col("reason"));
    }
  }

  /** Days since the epoch of a timestamp column (the session's time zone is UTC). */
  private static Column epochDay(Column ts) {
    return org.apache.spark.sql.functions.datediff(
        to_date(ts), lit(java.sql.Date.valueOf(LocalDate.ofEpochDay(0))));
  }

  private Column hash(String kind, Column value) {
    return hash(hashSalt(tables.iceberg(TABLE)), kind, value);
  }

  /** The first 16 bytes of SHA-256(salt ‖ kind ‖ ':' ‖ value). */
  static Column hash(String salt, String kind, Column value) {
    return unhex(substring(sha2(concat(lit(salt + kind + ":"), value), 256), 1, 32));
  }

  private static String hashSalt(Table t) {
    String salt = t.properties().get(SALT);
    if (salt == null) {
      throw new IllegalStateException(
          t.name() + " has no " + SALT + " property: its tombstones cannot be matched");
    }
    return salt;
  }

  private static java.sql.Date day(LocalDate d) {
    return java.sql.Date.valueOf(d);
  }

  private static String newSalt() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
