package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import dev.logwait.joiner.semantics.EventTimeGuard;
import dev.logwait.schema.FeatureField;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.FeatureType;
import dev.logwait.schema.LogwaitSchemas;
import dev.logwait.schema.MalformedMessageException.Reason;
import dev.logwait.schema.SingleObjectCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.avro.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Turns Kafka rows ({@code key, value, topic, partition, offset, timestamp}) into decoded columns
 * with Spark's own {@code from_avro}, one decode per writer schema, in a single projection. Rows
 * that do not decode get a {@code reason} (the names of {@link Reason}) and a {@code detail}.
 */
public final class Decoder {
  private static final Map<String, String> PERMISSIVE = Map.of("mode", "PERMISSIVE");

  private Decoder() {}

  /** Adds {@code _fp} (wire hex), {@code _body} and the header checks' {@code reason}. */
  static Dataset<Row> header(Dataset<Row> kafka) {
    Column len = length(col("value"));
    Column magicOk = expr("substring(value, 1, 2) = X'C301'");
    return kafka
        .withColumn(
            "_fp",
            when(
                len.geq(SingleObjectCodec.HEADER_LENGTH).and(magicOk),
                hex(substring(col("value"), 3, 8))))
        .withColumn(
            "_body", expr("substring(value, " + (SingleObjectCodec.HEADER_LENGTH + 1) + ")"))
        .withColumn(
            "_reason",
            when(col("value").isNull().or(len.equalTo(0)), lit(Reason.EMPTY.name()))
                .when(len.lt(SingleObjectCodec.HEADER_LENGTH), lit(Reason.TOO_SHORT.name()))
                .when(magicOk.isNull().or(magicOk.equalTo(false)), lit(Reason.BAD_MAGIC.name())))
        .withColumn(
            "_detail",
            when(
                    col("_reason").equalTo(Reason.TOO_SHORT.name()),
                    concat(
                        lit("message of "),
                        len.cast("string"),
                        lit(" bytes is shorter than the 10-byte single-object header")))
                .when(
                    col("_reason").equalTo(Reason.BAD_MAGIC.name()),
                    concat(lit("expected magic C3 01, found "), hex(substring(col("value"), 1, 2))))
                .when(col("_reason").equalTo(Reason.EMPTY.name()), lit("no bytes")));
  }

  /**
   * Decodes predictions. Output columns: the envelope's fields, {@code feature_set}, {@code
   * feature_set_version}, a struct {@code features_<name>} per feature set (fields of all its
   * versions, aligned by name), Kafka coordinates, and {@code reason}/{@code detail} (null when
   * decoded).
   */
  public static Dataset<Row> predictions(
      Dataset<Row> kafka, List<Schema> writers, EventTimeGuard guard, long nowMicros) {
    Dataset<Row> h = header(kafka);
    List<Column> decoded = new ArrayList<>();
    Map<String, TreeMap<Integer, FeatureSet>> bySet = new TreeMap<>();
    Map<String, FeatureSet> byHex = new LinkedHashMap<>();
    Map<String, Schema> writerByHex = new LinkedHashMap<>();
    for (Schema w : writers) {
      FeatureSet fs = FeatureSet.fromWriterSchema(w);
      String hx = SingleObjectCodec.wireHex(SingleObjectCodec.fingerprint(w));
      byHex.put(hx, fs);
      writerByHex.put(hx, w);
      bySet.computeIfAbsent(fs.name(), k -> new TreeMap<>()).put(fs.version(), fs);
      decoded.add(
          when(col("_fp").equalTo(hx), functions.from_avro(col("_body"), w.toString(), PERMISSIVE))
              .as("_d_" + hx));
    }
    List<Column> cols = new ArrayList<>(List.of(col("*")));
    cols.addAll(decoded);
    Dataset<Row> d = h.select(cols.toArray(Column[]::new));

    List<Column> out = new ArrayList<>();
    for (String field : LogwaitSchemas.envelopeFieldNames()) {
      out.add(coalesceOver(byHex.keySet(), hx -> col("_d_" + hx + "." + field)).as(field));
    }
    out.add(
        coalesceOver(
                byHex.keySet(), hx -> when(col("_d_" + hx).isNotNull(), lit(byHex.get(hx).name())))
            .as("feature_set"));
    out.add(
        coalesceOver(
                byHex.keySet(),
                hx -> when(col("_d_" + hx).isNotNull(), lit(byHex.get(hx).version())))
            .as("feature_set_version"));
    for (Map.Entry<String, TreeMap<Integer, FeatureSet>> e : bySet.entrySet()) {
      Map<String, DataType> fields = alignedFields(e.getValue().values());
      List<Column> perVersion = new ArrayList<>();
      for (Map.Entry<String, FeatureSet> h2 : byHex.entrySet()) {
        if (!h2.getValue().name().equals(e.getKey())) {
          continue;
        }
        List<Column> fc = new ArrayList<>();
        fields.forEach(
            (name, type) ->
                fc.add(
                    (h2.getValue().field(name) == null
                            ? lit(null).cast(type)
                            : col("_d_" + h2.getKey() + ".features." + name).cast(type))
                        .as(name)));
        perVersion.add(
            when(col("_d_" + h2.getKey()).isNotNull(), struct(fc.toArray(Column[]::new))));
      }
      out.add(coalesce(perVersion.toArray(Column[]::new)).as("features_" + e.getKey()));
    }
    return guarded(
        finish(d, out, decodedWith(byHex.keySet(), "prediction_id", "served_at"), writerByHex),
        "served_at",
        guard,
        nowMicros);
  }

  /** Decodes label events with the shipped label schemas. */
  public static Dataset<Row> labels(
      Dataset<Row> kafka, List<Schema> writers, EventTimeGuard guard, long nowMicros) {
    Dataset<Row> h = header(kafka);
    List<Column> cols = new ArrayList<>(List.of(col("*")));
    List<String> hexes = new ArrayList<>();
    Map<String, Schema> writerByHex = new LinkedHashMap<>();
    for (Schema w : writers) {
      String hx = SingleObjectCodec.wireHex(SingleObjectCodec.fingerprint(w));
      if (hexes.contains(hx)) {
        continue;
      }
      hexes.add(hx);
      writerByHex.put(hx, w);
      cols.add(
          when(col("_fp").equalTo(hx), functions.from_avro(col("_body"), w.toString(), PERMISSIVE))
              .as("_d_" + hx));
    }
    Dataset<Row> d = h.select(cols.toArray(Column[]::new));
    List<Column> out = new ArrayList<>();
    for (String field :
        List.of("event_id", "label_name", "value", "occurred_at", "prediction_id", "entity_keys")) {
      out.add(coalesceOver(hexes, hx -> col("_d_" + hx + "." + field)).as(field));
    }
    return guarded(
        finish(d, out, decodedWith(hexes, "event_id", "occurred_at"), writerByHex),
        "occurred_at",
        guard,
        nowMicros);
  }

  private static Dataset<Row> finish(
      Dataset<Row> d, List<Column> out, Column anyDecoded, Map<String, Schema> known) {
    Column isKnown = known.isEmpty() ? lit(false) : col("_fp").isin(known.keySet().toArray());
    // A single-object message is consumed exactly: from_avro ignores bytes after the record.
    Column trailing =
        when(
            anyDecoded,
            org.apache
                .spark
                .sql
                .functions
                .udf(new TrailingBytes(known), DataTypes.IntegerType)
                .apply(col("_body"), col("_fp")));
    Column reason =
        when(col("_reason").isNotNull(), col("_reason"))
            .when(
                isKnown.isNull().or(isKnown.equalTo(false)), lit(Reason.UNKNOWN_FINGERPRINT.name()))
            .when(anyDecoded.equalTo(false), lit(Reason.INVALID_BODY.name()))
            .when(trailing.gt(0), lit(Reason.TRAILING_BYTES.name()));
    Column detail =
        when(col("_reason").isNotNull(), col("_detail"))
            .when(
                isKnown.isNull().or(isKnown.equalTo(false)),
                concat(
                    lit("no known writer schema has fingerprint "),
                    col("_fp"),
                    lit(" (is the schemas topic complete?)")))
            .when(anyDecoded.equalTo(false), lit("body does not decode with its writer schema"))
            .when(
                trailing.gt(0),
                concat(
                    trailing.cast("string"),
                    lit(" bytes follow the record; a message must hold exactly one")));
    List<Column> all = new ArrayList<>(out);
    all.add(col("key").as("raw_key"));
    all.add(col("value").as("raw_value"));
    all.add(col("topic"));
    all.add(col("partition").as("kafka_partition"));
    all.add(col("offset").as("kafka_offset"));
    all.add(col("timestamp").as("kafka_timestamp"));
    all.add(reason.as("reason"));
    all.add(detail.as("detail"));
    return d.select(all.toArray(Column[]::new));
  }

  /**
   * Quarantines decoded rows whose event time is implausible ({@link EventTimeGuard}), then keeps
   * the original bytes only where the quarantine needs them (halves what is cached).
   */
  private static Dataset<Row> guarded(
      Dataset<Row> d, String time, EventTimeGuard guard, long nowMicros) {
    Column implausible =
        col("reason").isNull().and(guard.outOfRange(col(time), col("kafka_timestamp"), nowMicros));
    Column reason = when(implausible, lit(EventTimeGuard.REASON)).otherwise(col("reason"));
    List<Column> cols = new ArrayList<>();
    for (String c : d.columns()) {
      cols.add(
          switch (c) {
            case "reason" -> reason.as(c);
            case "detail" ->
                when(implausible, guard.detail(time, col(time), col("kafka_timestamp"), nowMicros))
                    .otherwise(col("detail"))
                    .as(c);
            case "raw_key", "raw_value" -> when(reason.isNotNull(), col(c)).as(c);
            default -> col(c);
          });
    }
    return d.select(cols.toArray(Column[]::new));
  }

  /**
   * True where some writer decoded the body into a record whose required fields are present; {@code
   * from_avro} in permissive mode can return a partial record for a damaged body.
   */
  private static Column decodedWith(java.util.Collection<String> hexes, String... required) {
    Column any = lit(false);
    for (String hx : hexes) {
      Column ok = col("_d_" + hx).isNotNull();
      for (String r : required) {
        ok = ok.and(col("_d_" + hx + "." + r).isNotNull());
      }
      any = any.or(ok);
    }
    return any;
  }

  private static Column coalesceOver(
      java.util.Collection<String> hexes, java.util.function.Function<String, Column> f) {
    if (hexes.isEmpty()) {
      return lit(null);
    }
    return coalesce(hexes.stream().map(f).toArray(Column[]::new));
  }

  /**
   * The union of the versions' fields by name, widened where a type grew (int->long,
   * float->double).
   */
  static Map<String, DataType> alignedFields(java.util.Collection<FeatureSet> versions) {
    Map<String, DataType> out = new LinkedHashMap<>();
    for (FeatureSet fs : versions) {
      for (FeatureField f : fs.fields()) {
        DataType t = sparkType(f.type());
        DataType was = out.get(f.name());
        if (was == null || was.equals(DataTypes.IntegerType) || was.equals(DataTypes.FloatType)) {
          out.put(f.name(), was == null ? t : wider(was, t));
        }
      }
    }
    return out;
  }

  private static DataType wider(DataType a, DataType b) {
    if (a.equals(DataTypes.IntegerType) && b.equals(DataTypes.LongType)) {
      return b;
    }
    if (a.equals(DataTypes.FloatType) && b.equals(DataTypes.DoubleType)) {
      return b;
    }
    return a;
  }

  static DataType sparkType(FeatureType t) {
    switch (t) {
      case DOUBLE:
        return DataTypes.DoubleType;
      case FLOAT:
        return DataTypes.FloatType;
      case LONG:
        return DataTypes.LongType;
      case INT:
        return DataTypes.IntegerType;
      case BOOLEAN:
        return DataTypes.BooleanType;
      case STRING:
        return DataTypes.StringType;
      case FLOAT_VECTOR:
        return DataTypes.createArrayType(DataTypes.FloatType, true);
      case DOUBLE_VECTOR:
        return DataTypes.createArrayType(DataTypes.DoubleType, true);
      default:
        return DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, true);
    }
  }
}
