package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.table.Alignment;
import dev.logwait.joiner.table.Tables;
import dev.logwait.schema.FeatureField;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.IncompatibleSchemaException;
import dev.logwait.schema.SingleObjectCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateProperties;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A prediction's features, decoded once from the exact Kafka bytes {@code raw_predictions} keeps
 * ({@code kafka_value}), with the writer schemas the table records in its properties ({@value
 * #PROPERTY}{@code <fingerprint>}): the table is self-describing, and reading it needs neither
 * Kafka nor the schemas topic. A feature set's versions are aligned by name into one struct {@code
 * features_<set>}, widened where a type grew.
 *
 * <p>Tables written by the earlier layout hold a typed struct {@code features_<set>} instead of the
 * bytes; their rows are read from it, so such a table stays readable with new rows appended.
 */
public final class FeatureDecode {
  /** Table property prefix on {@code raw_predictions}: a writer schema by its wire fingerprint. */
  public static final String PROPERTY = "logwait.writer-schema.";

  /**
   * The envelope's columns as the tables keep them: every field but the features record and the
   * list of unset features (which is read with the features, from the message's bytes, and turns
   * the features it names into nulls).
   */
  public static final List<String> ENVELOPE =
      dev.logwait.schema.LogwaitSchemas.envelopeFieldNames().stream()
          .filter(f -> !f.equals(dev.logwait.schema.LogwaitSchemas.UNSET_FEATURES_FIELD))
          .toList();

  private final Map<String, Decoder.Writer> byHex;
  private final Map<String, StructType> earlierLayout;

  private FeatureDecode(Map<String, Decoder.Writer> byHex, Map<String, StructType> earlierLayout) {
    this.byHex = byHex;
    this.earlierLayout = earlierLayout;
  }

  /** The writer schemas {@code raw_predictions} records, and its earlier layout's structs. */
  public static FeatureDecode of(Tables tables) {
    Table t = tables.iceberg(Tables.RAW_PREDICTIONS);
    Map<String, Decoder.Writer> byHex = new LinkedHashMap<>();
    t.properties()
        .forEach(
            (k, v) -> {
              if (k.startsWith(PROPERTY)) {
                Schema s = new Schema.Parser().parse(v);
                try {
                  byHex.put(
                      k.substring(PROPERTY.length()),
                      new Decoder.Writer(s, FeatureSet.fromWriterSchema(s)));
                } catch (IncompatibleSchemaException e) {
                  throw new IllegalStateException("unreadable writer schema in property " + k, e);
                }
              }
            });
    Map<String, StructType> earlier = new TreeMap<>();
    for (StructField f : tables.schema(Tables.RAW_PREDICTIONS).fields()) {
      if (f.name().startsWith("features_") && f.dataType() instanceof StructType st) {
        earlier.put(f.name().substring("features_".length()), st);
      }
    }
    return new FeatureDecode(byHex, earlier);
  }

  /**
   * Records, before rows written with them are appended, the writer schemas the table does not hold
   * yet (an idempotent metadata commit; nothing when all are there).
   */
  static void record(Tables tables, List<Decoder.Writer> writers) {
    Table t = tables.iceberg(Tables.RAW_PREDICTIONS);
    UpdateProperties update = null;
    for (Decoder.Writer w : writers) {
      String key = PROPERTY + w.wireHex();
      if (!t.properties().containsKey(key)) {
        update = update == null ? t.updateProperties() : update;
        update.set(key, w.schema().toString());
      }
    }
    if (update != null) {
      update.commit();
    }
  }

  /** Every feature set the table can hold rows of. */
  public Set<String> featureSets() {
    Set<String> sets = new TreeSet<>(earlierLayout.keySet());
    byHex.values().forEach(w -> sets.add(w.featureSet().name()));
    return sets;
  }

  /**
   * {@code asked}, or the only feature set when null; refused, naming the command and the sets the
   * table holds, when it holds no such set or several and none was asked for.
   */
  public String choose(String asked, String command) {
    List<String> sets = new ArrayList<>(featureSets());
    if (asked == null && sets.size() == 1) {
      return sets.get(0);
    }
    if (asked == null || !sets.contains(asked)) {
      throw new ConfigException(
          command
              + ": "
              + (asked == null
                  ? "choose a feature set with --feature-set"
                  : "no feature set '" + asked + "'")
              + "; raw_predictions holds "
              + (sets.isEmpty() ? "none yet" : String.join(", ", sets)));
    }
    return asked;
  }

  /** The column {@code features_<set>}: every version's fields, aligned by name. */
  public StructField field(String set) {
    List<FeatureSet> versions = new ArrayList<>();
    byHex.values().stream()
        .filter(w -> w.featureSet().name().equals(set))
        .sorted((a, b) -> Integer.compare(a.featureSet().version(), b.featureSet().version()))
        .forEach(w -> versions.add(w.featureSet()));
    Map<String, DataType> fields = new LinkedHashMap<>();
    StructType earlier = earlierLayout.get(set);
    if (earlier != null) {
      for (StructField f : earlier.fields()) {
        fields.put(f.name(), f.dataType());
      }
    }
    FeatureColumns.aligned(versions).forEach(fields::put);
    StructType type = new StructType();
    for (Map.Entry<String, DataType> e : fields.entrySet()) {
      type = type.add(e.getKey(), e.getValue(), true);
    }
    return new StructField(
        "features_" + set, type, true, org.apache.spark.sql.types.Metadata.empty());
  }

  /**
   * The columns a set's features are decoded from, in one shape for the table's rows and a batch's:
   * {@code kafka_value} (null where the table predates it) and, where the table holds the earlier
   * layout's struct for the set, that struct aligned to {@link #field}.
   */
  public List<Column> sources(String set) {
    List<Column> out = new ArrayList<>(List.of(col("kafka_value")));
    if (earlierLayout.containsKey(set)) {
      out.add(col(field(set).name()));
    }
    return out;
  }

  /** {@code rows} with the columns {@link #sources} names, those they lack as nulls. */
  public Dataset<Row> withSources(Dataset<Row> rows, String set) {
    Dataset<Row> d = rows;
    if (!List.of(d.columns()).contains("kafka_value")) {
      d = d.withColumn("kafka_value", lit(null).cast("binary"));
    }
    if (earlierLayout.containsKey(set)) {
      d = Alignment.alignStruct(d, field(set));
    }
    return d;
  }

  /**
   * The set's rows of {@code raw_predictions}, decoded: the envelope, {@code feature_set_version},
   * one column per feature, and the Kafka coordinates. What {@code query} shows as {@code
   * predictions_<set>}.
   */
  public Dataset<Row> decoded(Dataset<Row> raw, String set) {
    Dataset<Row> rows =
        withFeatures(withSources(raw.filter(col("feature_set").equalTo(set)), set), set);
    List<Column> cols = new ArrayList<>();
    for (String c : ENVELOPE) {
      cols.add(col(c));
    }
    cols.add(col("feature_set_version"));
    cols.add(col(field(set).name() + ".*"));
    cols.add(col("kafka_partition"));
    cols.add(col("kafka_offset"));
    cols.add(col("ingested_at"));
    return rows.select(cols.toArray(Column[]::new));
  }

  /**
   * {@code rows} of {@code raw_predictions} (or a batch of the same columns) with {@code
   * features_<set>} decoded from {@code kafka_value}: one {@code from_avro} per writer schema of
   * the set, in a projection of its own, then the aligned struct.
   */
  public Dataset<Row> withFeatures(Dataset<Row> rows, String set) {
    StructField target = field(set);
    StructType type = (StructType) target.dataType();
    List<Column> perVersion = new ArrayList<>();
    Dataset<Row> d = rows;
    List<String> decoded = new ArrayList<>();
    if (List.of(rows.columns()).contains("kafka_value")) {
      Column fp = hex(substring(col("kafka_value"), 3, 8));
      Column body = expr("substring(kafka_value, " + (SingleObjectCodec.HEADER_LENGTH + 1) + ")");
      List<Column> cols = new ArrayList<>(List.of(col("*")));
      byHex.forEach(
          (hx, w) -> {
            if (w.featureSet().name().equals(set)) {
              Column record =
                  when(fp.equalTo(hx), Decoder.decode(body, w.schema(), w.featuresReader()));
              decoded.add("_f_" + hx);
              cols.add(
                  record.getField(dev.logwait.schema.LogwaitSchemas.FEATURES_FIELD).as("_f_" + hx));
              String unset = null;
              if (w.schema().getField(dev.logwait.schema.LogwaitSchemas.UNSET_FEATURES_FIELD)
                  != null) {
                unset = "_u_" + hx;
                decoded.add(unset);
                cols.add(
                    record
                        .getField(dev.logwait.schema.LogwaitSchemas.UNSET_FEATURES_FIELD)
                        .as(unset));
              }
              perVersion.add(versionStruct("_f_" + hx, unset, w.featureSet(), type));
            }
          });
      // the decodes in a projection of their own, so each runs once per row
      d = d.select(cols.toArray(Column[]::new));
    }
    if (List.of(rows.columns()).contains(target.name())) {
      // the earlier layout's typed struct, for rows without bytes
      d = Alignment.alignStruct(d, target);
      perVersion.add(col(target.name()));
    }
    Column features =
        perVersion.isEmpty()
            ? lit(null).cast(type)
            : coalesce(perVersion.toArray(Column[]::new)).cast(type);
    return d.withColumn(target.name(), features).drop(decoded.toArray(String[]::new));
  }

  /**
   * One version's decoded features as the aligned struct: its fields, nulls for the others and for
   * those the service never set (positions in {@code unset}, a column of the writer's list; null
   * when the writer predates the list).
   */
  private static Column versionStruct(
      String decoded, String unset, FeatureSet fs, StructType type) {
    List<Column> fields = new ArrayList<>();
    for (StructField f : type.fields()) {
      FeatureField field = fs.field(f.name());
      Column value =
          field == null
              ? lit(null).cast(f.dataType())
              : col(decoded + "." + f.name()).cast(f.dataType());
      if (field != null && unset != null) {
        // a placeholder was encoded where nothing was set: it reads as missing
        value =
            when(col(unset).isNull().or(not(array_contains(col(unset), field.index()))), value)
                .otherwise(lit(null).cast(f.dataType()));
      }
      fields.add(value.as(f.name()));
    }
    return when(col(decoded).isNotNull(), struct(fields.toArray(Column[]::new)));
  }
}
