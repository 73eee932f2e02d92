package dev.logwait.joiner.erasure;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import dev.logwait.joiner.table.Tables;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Where the subjects' rows are: which tables hold rows about them, and which rows. A row is about a
 * subject when one of its entity keys is the subject's, or when it is (or is the label of) a
 * prediction about the subject, or a prediction named directly. Quarantined messages are matched by
 * their Kafka key (the logger keys a prediction by its id) and by their bytes: a message that holds
 * a subject's value as an Avro string, whether it decodes or not.
 */
final class Affected {
  /** What kind of rows a table holds, as far as erasure is concerned. */
  enum Kind {
    /** {@code prediction_id} and {@code entity_keys}: raw predictions, training and backfill. */
    PREDICTIONS,
    /** {@code raw_labels}: label events. */
    LABELS,
    /** {@code quarantine}: messages as received. */
    MESSAGES
  }

  private final SparkSession spark;
  private final Tables tables;
  private final Subjects subjects;
  private final Dataset<Row> pairs;

  Affected(SparkSession spark, Tables tables, Subjects subjects) {
    this.spark = spark;
    this.tables = tables;
    this.subjects = subjects;
    List<Row> rows = new ArrayList<>();
    for (String p : subjects.entityPairs()) {
      rows.add(RowFactory.create(p));
    }
    this.pairs =
        spark.createDataFrame(rows, new StructType().add("_pair", DataTypes.StringType)).cache();
  }

  /** The kind of every table that can hold rows about a person, by short name. */
  java.util.Map<String, Kind> tablesWithRows() {
    java.util.Map<String, Kind> out = new java.util.LinkedHashMap<>();
    for (String t : tables.names()) {
      if (t.equals(Tables.RAW_LABELS)) {
        out.put(t, Kind.LABELS);
      } else if (t.equals(Tables.QUARANTINE)) {
        out.put(t, Kind.MESSAGES);
      } else {
        List<String> columns = List.of(tables.schema(t).fieldNames());
        if (columns.contains("prediction_id") && columns.contains("entity_keys")) {
          out.put(t, Kind.PREDICTIONS);
        }
      }
    }
    return out;
  }

  /**
   * The ids (and serving times) of every prediction about the subjects, in every table that holds
   * predictions, as the tables are now.
   */
  Dataset<Row> predictions(java.util.Map<String, Kind> kinds) {
    Dataset<Row> out =
        spark.createDataFrame(
            List.of(),
            new StructType()
                .add("prediction_id", DataTypes.StringType)
                .add("served_at", DataTypes.TimestampType));
    for (var e : kinds.entrySet()) {
      if (e.getValue() == Kind.PREDICTIONS) {
        out =
            out.unionByName(
                aboutSubjects(
                    spark.table(tables.name(e.getKey())), null, "prediction_id", "served_at"));
      }
    }
    return out.dropDuplicates("prediction_id");
  }

  /**
   * The subjects (as {@code key=value}) that at least one row of a prediction or label table is
   * about.
   */
  Set<String> found(java.util.Map<String, Kind> kinds) {
    Set<String> out = new TreeSet<>();
    Set<String> named = new TreeSet<>(subjects.predictionIds());
    for (var e : kinds.entrySet()) {
      if (e.getValue() == Kind.MESSAGES) {
        continue;
      }
      Dataset<Row> rows = spark.table(tables.name(e.getKey()));
      if (!named.isEmpty()) {
        rows.filter(col("prediction_id").isin(named.toArray()))
            .select("prediction_id")
            .distinct()
            .as(Encoders.STRING())
            .collectAsList()
            .forEach(id -> out.add(Subjects.PREDICTION_ID + "=" + id));
      }
      if (!subjects.entities().isEmpty()) {
        rows.filter(col("entity_keys").isNotNull())
            .select(explode(col("entity_keys")).as(new String[] {"_ek", "_ev"}))
            .select(concat(col("_ek"), lit("\u0000"), col("_ev")).as("_pair"))
            .join(broadcast(pairs), "_pair")
            .distinct()
            .as(Encoders.STRING())
            .collectAsList()
            .forEach(pair -> out.add(pair.replace('\u0000', '=')));
      }
    }
    return out;
  }

  /** The columns that name one row of a table of this kind (what a delete matches on). */
  static String[] keyColumns(Kind kind) {
    return switch (kind) {
      case PREDICTIONS -> new String[] {"prediction_id"};
      case LABELS -> new String[] {"event_id"};
      case MESSAGES -> new String[] {"topic", "kafka_partition", "kafka_offset"};
    };
  }

  /**
   * The {@link #keyColumns} of the rows of {@code rows} (a table of the given kind) about the
   * subjects, given the ids of the predictions about them ({@code ids}, column {@code
   * prediction_id}).
   */
  Dataset<Row> rowsOf(Kind kind, Dataset<Row> rows, Dataset<Row> ids) {
    return switch (kind) {
      case PREDICTIONS, LABELS -> aboutSubjects(rows, ids, keyColumns(kind));
      case MESSAGES -> messages(rows, ids);
    };
  }

  /**
   * The {@code keys} columns of the rows (with {@code entity_keys} and {@code prediction_id}) that
   * are about a subject: by an entity key, by a prediction named directly, or by a prediction in
   * {@code ids} (null: none).
   */
  private Dataset<Row> aboutSubjects(Dataset<Row> rows, Dataset<Row> ids, String... keys) {
    Column[] keep =
        java.util.Arrays.stream(keys)
            .map(org.apache.spark.sql.functions::col)
            .toArray(Column[]::new);
    Set<String> named = new TreeSet<>(subjects.predictionIds());
    Dataset<Row> out =
        rows.filter(named.isEmpty() ? lit(false) : col("prediction_id").isin(named.toArray()))
            .select(keep);
    if (!subjects.entities().isEmpty()) {
      Dataset<Row> exploded =
          rows.filter(col("entity_keys").isNotNull())
              .select(col("*"), explode(col("entity_keys")).as(new String[] {"_ek", "_ev"}))
              .withColumn("_pair", concat(col("_ek"), lit("\u0000"), col("_ev")));
      out = out.unionByName(exploded.join(broadcast(pairs), "_pair").select(keep));
    }
    if (ids != null) {
      Dataset<Row> wanted = ids.select(col("prediction_id").as("_id"));
      out =
          out.unionByName(
              rows.join(wanted, rows.col("prediction_id").equalTo(wanted.col("_id")), "left_semi")
                  .select(keep));
    }
    return out.dropDuplicates(keys);
  }

  /** Quarantined messages about a subject: by Kafka key, or by a subject's value in their bytes. */
  private Dataset<Row> messages(Dataset<Row> rows, Dataset<Row> ids) {
    String[] keys = keyColumns(Kind.MESSAGES);
    Column[] keep =
        java.util.Arrays.stream(keys)
            .map(org.apache.spark.sql.functions::col)
            .toArray(Column[]::new);
    // each value as Avro writes a string, searched in every message's bytes (a broadcast nested
    // loop over the quarantine, which is small, and the subjects: no expression per subject)
    List<Row> values = new ArrayList<>();
    for (Subjects.Subject s : subjects.keys()) {
      values.add(RowFactory.create((Object) avroString(s.value())));
    }
    Dataset<Row> needles =
        spark.createDataFrame(values, new StructType().add("_needle", DataTypes.BinaryType));
    Dataset<Row> byBytes =
        rows.join(
            broadcast(needles),
            org.apache.spark.sql.functions.contains(rows.col("value"), needles.col("_needle")),
            "left_semi");
    Dataset<Row> idBytes =
        ids.select(col("prediction_id").cast("binary").as("_key"))
            .union(
                spark
                    .createDataset(subjects.predictionIds(), Encoders.STRING())
                    .toDF("_key")
                    .select(col("_key").cast("binary")));
    Dataset<Row> byKey =
        rows.join(idBytes, rows.col("key").equalTo(idBytes.col("_key")), "left_semi");
    return byBytes.select(keep).unionByName(byKey.select(keep)).dropDuplicates(keys);
  }

  /**
   * A string as Avro's binary encoding writes it: its UTF-8 length as a zig-zag varint, then it.
   */
  static byte[] avroString(String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    long n = ((long) utf8.length << 1) ^ ((long) utf8.length >> 63);
    while ((n & ~0x7FL) != 0) {
      out.write((int) ((n & 0x7F) | 0x80));
      n >>>= 7;
    }
    out.write((int) n);
    out.writeBytes(utf8);
    return out.toByteArray();
  }
}
