package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.logwait.joiner.semantics.EventTimeGuard;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.MalformedMessageException.Reason;
import dev.logwait.schema.SingleObjectCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.avro.Schema;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.avro.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Turns Kafka rows ({@code key, value, topic, partition, offset, timestamp}) into decoded columns
 * with Spark's own {@code from_avro}, one decode per writer schema, in a single projection. Rows
 * that do not decode get a {@code reason} (the names of {@link Reason}, or {@link
 * EventTimeGuard#REASON}) and a {@code detail}.
 */
final class Decoder {
  private static final Map<String, String> PERMISSIVE = Map.of("mode", "PERMISSIVE");

  private Decoder() {}

  /** A feature set's writer schema as published, with the feature set it declares. */
  record Writer(Schema schema, FeatureSet featureSet) {
    String wireHex() {
      return SingleObjectCodec.wireHex(SingleObjectCodec.fingerprint(schema));
    }

    /**
     * The writer's record with only its features (and the list of unset ones): the reader schema of
     * the feature decode, which skips the envelope the ingest decoded already.
     */
    Schema featuresReader() {
      List<Schema.Field> fields = new ArrayList<>();
      for (Schema.Field f : schema.getFields()) {
        if (f.name().equals(dev.logwait.schema.LogwaitSchemas.FEATURES_FIELD)
            || f.name().equals(dev.logwait.schema.LogwaitSchemas.UNSET_FEATURES_FIELD)) {
          fields.add(new Schema.Field(f, f.schema()));
        }
      }
      return Schema.createRecord(
          schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    /**
     * The writer's record without its features: the reader schema of the ingest's decode, which
     * Avro's resolution then skips over (the features are decoded once, on the way to the training
     * table: {@link FeatureDecode}).
     */
    Schema envelopeReader() {
      List<Schema.Field> fields = new ArrayList<>();
      for (Schema.Field f : schema.getFields()) {
        if (!f.name().equals(dev.logwait.schema.LogwaitSchemas.FEATURES_FIELD)) {
          fields.add(new Schema.Field(f, f.schema()));
        }
      }
      return Schema.createRecord(
          schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }
  }

  /**
   * Decodes predictions' envelopes (the features are skipped, not materialized). Output columns:
   * the envelope's fields, {@code feature_set}, {@code feature_set_version}, {@code
   * schema_fingerprint}, the message's bytes and Kafka coordinates, and {@code reason}/{@code
   * detail} (null when decoded).
   */
  static Dataset<Row> predictions(
      Dataset<Row> kafka, List<Writer> writers, EventTimeGuard guard, long nowMicros) {
    Map<String, Writer> byHex = new LinkedHashMap<>();
    writers.forEach(w -> byHex.put(w.wireHex(), w));
    Map<String, Schema> schemas = new LinkedHashMap<>();
    Map<String, Schema> readers = new LinkedHashMap<>();
    byHex.forEach(
        (hx, w) -> {
          schemas.put(hx, w.schema());
          readers.put(hx, w.envelopeReader());
        });
    Dataset<Row> d = decodeAll(kafka, schemas, readers);
    List<Column> out = new ArrayList<>();
    for (String field : FeatureDecode.ENVELOPE) {
      out.add(coalesceOver(byHex.keySet(), hx -> col("_d_" + hx + "." + field)).as(field));
    }
    out.add(
        coalesceOver(byHex.keySet(), hx -> whenDecoded(hx, byHex.get(hx).featureSet().name()))
            .as("feature_set"));
    out.add(
        coalesceOver(byHex.keySet(), hx -> whenDecoded(hx, byHex.get(hx).featureSet().version()))
            .as("feature_set_version"));
    out.add(
        coalesceOver(
                byHex.keySet(),
                hx ->
                    whenDecoded(
                        hx,
                        SingleObjectCodec.hex(
                            SingleObjectCodec.fingerprint(byHex.get(hx).schema()))))
            .as("schema_fingerprint"));
    Dataset<Row> checked =
        finish(d, out, decodedWith(byHex.keySet(), "prediction_id", "served_at"), schemas);
    return WireChecks.guarded(checked, "served_at", guard, nowMicros, true);
  }

  /** Decodes label events with the shipped label schemas. */
  static Dataset<Row> labels(
      Dataset<Row> kafka, List<Schema> writers, EventTimeGuard guard, long nowMicros) {
    Map<String, Schema> schemas = new LinkedHashMap<>();
    for (Schema w : writers) {
      schemas.putIfAbsent(SingleObjectCodec.wireHex(SingleObjectCodec.fingerprint(w)), w);
    }
    Dataset<Row> d = decodeAll(kafka, schemas, schemas);
    List<Column> out = new ArrayList<>();
    for (String field :
        List.of("event_id", "label_name", "value", "occurred_at", "prediction_id", "entity_keys")) {
      out.add(coalesceOver(schemas.keySet(), hx -> col("_d_" + hx + "." + field)).as(field));
    }
    Dataset<Row> checked =
        finish(d, out, decodedWith(schemas.keySet(), "event_id", "occurred_at"), schemas);
    return WireChecks.guarded(checked, "occurred_at", guard, nowMicros, false);
  }

  /**
   * The header checks, and one {@code from_avro} column {@code _d_<hex>} per writer schema, read
   * with the reader schema of the same hex.
   */
  private static Dataset<Row> decodeAll(
      Dataset<Row> kafka, Map<String, Schema> schemas, Map<String, Schema> readers) {
    List<Column> cols = new ArrayList<>(List.of(col("*")));
    schemas.forEach(
        (hx, w) ->
            cols.add(
                when(col("_fp").equalTo(hx), decode(col("_body"), w, readers.get(hx)))
                    .as("_d_" + hx)));
    return WireChecks.header(kafka).select(cols.toArray(Column[]::new));
  }

  /** Spark's {@code from_avro} of a body written with {@code writer}, read as {@code reader}. */
  static Column decode(Column body, Schema writer, Schema reader) {
    Map<String, String> options = new LinkedHashMap<>(PERMISSIVE);
    if (!reader.equals(writer)) {
      options.put("avroSchema", reader.toString());
    }
    return functions.from_avro(body, writer.toString(), options);
  }

  private static Column whenDecoded(String hx, Object value) {
    return when(col("_d_" + hx).isNotNull(), lit(value));
  }

  private static Dataset<Row> finish(
      Dataset<Row> d, List<Column> out, Column anyDecoded, Map<String, Schema> known) {
    Column isKnown = known.isEmpty() ? lit(false) : col("_fp").isin(known.keySet().toArray());
    Column unknown = isKnown.isNull().or(isKnown.equalTo(false));
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
            .when(unknown, lit(Reason.UNKNOWN_FINGERPRINT.name()))
            .when(anyDecoded.equalTo(false), lit(Reason.INVALID_BODY.name()))
            .when(trailing.gt(0), lit(Reason.TRAILING_BYTES.name()));
    Column detail =
        when(col("_reason").isNotNull(), col("_detail"))
            .when(
                unknown,
                concat(
                    lit("no known writer schema has fingerprint "),
                    WireChecks.fingerprintShown(),
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
   * True where some writer decoded the body into a record whose required fields are present; {@code
   * from_avro} in permissive mode can return a partial record for a damaged body.
   */
  private static Column decodedWith(Collection<String> hexes, String... required) {
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

  private static Column coalesceOver(Collection<String> hexes, Function<String, Column> f) {
    if (hexes.isEmpty()) {
      return lit(null);
    }
    return coalesce(hexes.stream().map(f).toArray(Column[]::new));
  }
}
