package dev.logwait.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * A declared, versioned set of typed features. It becomes an Avro record ({@link
 * #featuresSchema()}) embedded as the envelope's {@code features} field ({@link #writerSchema()});
 * messages carry only the values, in field order.
 *
 * <p>Immutable and thread-safe. Declare it once per service and share it.
 */
public final class FeatureSet {
  /** Namespace of every feature record; the record name is {@code <name>_v<version>}. */
  public static final String NAMESPACE = "dev.logwait.features";

  /** Schema property that carries the feature set's name. */
  public static final String PROP_NAME = "logwait.feature_set";

  /** Schema property that carries the feature set's version. */
  public static final String PROP_VERSION = "logwait.feature_set_version";

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private final String name;
  private final int version;
  private final List<FeatureField> fields;
  private final FeatureType[] types;
  private final int[] slots;
  private final Map<String, FeatureField> byName;
  private final int primitiveSlots;
  private final int objectSlots;
  private final Schema featuresSchema;
  private final Schema writerSchema;
  private final long fingerprint;

  private FeatureSet(String name, int version, List<FeatureField> fields) {
    this.name = name;
    this.version = version;
    this.fields = List.copyOf(fields);
    this.types = new FeatureType[fields.size()];
    this.slots = new int[fields.size()];
    for (FeatureField f : fields) {
      types[f.index()] = f.type();
      slots[f.index()] = f.slot();
    }
    Map<String, FeatureField> index = new HashMap<>();
    int primitives = 0;
    int objects = 0;
    for (FeatureField f : fields) {
      index.put(f.name(), f);
      if (f.type().isPrimitive()) {
        primitives++;
      } else {
        objects++;
      }
    }
    this.byName = Collections.unmodifiableMap(index);
    this.primitiveSlots = primitives;
    this.objectSlots = objects;
    this.featuresSchema = buildFeaturesSchema(name + "_v" + version);
    this.writerSchema = LogwaitSchemas.predictionWriterSchema(featuresSchema);
    this.fingerprint = SchemaNormalization.parsingFingerprint64(writerSchema);
  }

  /** Starts declaring a feature set; {@code name} becomes part of the training table's name. */
  public static Builder builder(String name, int version) {
    return new Builder(name, version);
  }

  /**
   * Reads a feature set back from a writer schema that {@link #writerSchema()} produced (as found
   * on the schemas topic).
   *
   * @throws IncompatibleSchemaException when the schema is not a logwait prediction schema
   */
  public static FeatureSet fromWriterSchema(Schema writer) {
    Schema.Field features = writer.getField(LogwaitSchemas.FEATURES_FIELD);
    if (features == null || features.schema().getType() != Schema.Type.RECORD) {
      throw new IncompatibleSchemaException(
          "Schema " + writer.getFullName() + " has no 'features' record: not a prediction schema");
    }
    Schema record = features.schema();
    String fsName = record.getProp(PROP_NAME);
    Object fsVersion = record.getObjectProp(PROP_VERSION);
    if (fsName == null || !(fsVersion instanceof Number)) {
      throw new IncompatibleSchemaException(
          "Feature record "
              + record.getFullName()
              + " lacks the properties "
              + PROP_NAME
              + " and "
              + PROP_VERSION);
    }
    Builder b = builder(fsName, ((Number) fsVersion).intValue());
    for (Schema.Field f : record.getFields()) {
      FeatureType type = FeatureType.of(f.schema());
      if (type == null) {
        throw new IncompatibleSchemaException(
            "Feature '" + f.name() + "' of " + fsName + " has unsupported type " + f.schema());
      }
      b.add(f.name(), type);
    }
    return b.build();
  }

  public String name() {
    return name;
  }

  public int version() {
    return version;
  }

  /** The fields in record order. */
  public List<FeatureField> fields() {
    return fields;
  }

  /** The type of the field at {@code index} (an array read, for the logger's hot path). */
  public FeatureType type(int index) {
    return types[index];
  }

  /** The storage slot of the field at {@code index} (an array read, for the hot path). */
  public int slot(int index) {
    return slots[index];
  }

  /** The field of that name, or {@code null}. */
  public FeatureField field(String fieldName) {
    return byName.get(fieldName);
  }

  /** How many fields are held in primitive slots (numbers and booleans). */
  public int primitiveSlots() {
    return primitiveSlots;
  }

  /** How many fields are held as objects (strings, vectors, sparse maps). */
  public int objectSlots() {
    return objectSlots;
  }

  /** The Avro record of the feature values alone. */
  public Schema featuresSchema() {
    return featuresSchema;
  }

  /** The full writer schema of a logged prediction: the envelope with this record as features. */
  public Schema writerSchema() {
    return writerSchema;
  }

  /** CRC-64-AVRO fingerprint of {@link #writerSchema()}: what each message's header carries. */
  public long fingerprint() {
    return fingerprint;
  }

  private Schema buildFeaturesSchema(String recordName) {
    List<Schema.Field> avroFields = new ArrayList<>(fields.size());
    for (FeatureField f : fields) {
      avroFields.add(
          new Schema.Field(f.name(), f.type().avroSchema(), null, f.type().defaultValue()));
    }
    Schema record =
        Schema.createRecord(
            recordName, "Feature set " + name + " version " + version, NAMESPACE, false);
    record.setFields(avroFields);
    record.addProp(PROP_NAME, name);
    record.addProp(PROP_VERSION, version);
    return record;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureSet
        && ((FeatureSet) o).fingerprint == fingerprint
        && ((FeatureSet) o).writerSchema.equals(writerSchema);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(fingerprint);
  }

  @Override
  public String toString() {
    return name + " v" + version + " (" + fields.size() + " features)";
  }

  /** Declares the fields of a feature set, in record order. Not thread-safe. */
  public static final class Builder {
    private final String name;
    private final int version;
    private final List<FeatureField> fields = new ArrayList<>();
    private final Map<String, String> lowerCaseNames = new HashMap<>();
    private int primitive;
    private int object;

    private Builder(String name, int version) {
      Objects.requireNonNull(name, "name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "Feature set name '"
                + name
                + "' is invalid: use letters, digits and '_' (1-128 chars,"
                + " not starting with a digit)");
      }
      if (version < 1) {
        throw new IllegalArgumentException(
            "Feature set version must be >= 1, was " + version + " (feature set " + name + ")");
      }
      this.name = name;
      this.version = version;
    }

    /** Adds a field of any type. */
    public Builder add(String fieldName, FeatureType type) {
      Objects.requireNonNull(type, "type");
      checkFieldName(fieldName);
      int slot = type.isPrimitive() ? primitive++ : object++;
      fields.add(new FeatureField(fieldName, type, fields.size(), slot));
      return this;
    }

    public Builder addDouble(String fieldName) {
      return add(fieldName, FeatureType.DOUBLE);
    }

    public Builder addFloat(String fieldName) {
      return add(fieldName, FeatureType.FLOAT);
    }

    public Builder addLong(String fieldName) {
      return add(fieldName, FeatureType.LONG);
    }

    public Builder addInt(String fieldName) {
      return add(fieldName, FeatureType.INT);
    }

    public Builder addBoolean(String fieldName) {
      return add(fieldName, FeatureType.BOOLEAN);
    }

    public Builder addString(String fieldName) {
      return add(fieldName, FeatureType.STRING);
    }

    public Builder addFloatVector(String fieldName) {
      return add(fieldName, FeatureType.FLOAT_VECTOR);
    }

    public Builder addDoubleVector(String fieldName) {
      return add(fieldName, FeatureType.DOUBLE_VECTOR);
    }

    public Builder addSparse(String fieldName) {
      return add(fieldName, FeatureType.SPARSE);
    }

    /** Adds {@code count} double fields named {@code prefix0 … prefix<count-1>}. */
    public Builder addDoubles(String prefix, int count) {
      for (int i = 0; i < count; i++) {
        addDouble(prefix + i);
      }
      return this;
    }

    public FeatureSet build() {
      if (fields.isEmpty()) {
        throw new IllegalArgumentException("Feature set " + name + " declares no features");
      }
      return new FeatureSet(name, version, fields);
    }

    private void checkFieldName(String fieldName) {
      Objects.requireNonNull(fieldName, "field name");
      if (!NAME.matcher(fieldName).matches()) {
        throw new IllegalArgumentException(
            "Feature name '"
                + fieldName
                + "' in feature set "
                + name
                + " is invalid: use letters, digits and '_', not starting with a digit");
      }
      String lower = fieldName.toLowerCase(Locale.ROOT);
      if (LogwaitSchemas.isReservedColumn(lower)) {
        throw new IllegalArgumentException(
            "Feature name '"
                + fieldName
                + "' in feature set "
                + name
                + " is reserved (it names a training-table column); rename the feature");
      }
      String previous = lowerCaseNames.putIfAbsent(lower, fieldName);
      if (previous != null) {
        throw new IllegalArgumentException(
            "Feature name '"
                + fieldName
                + "' in feature set "
                + name
                + " repeats '"
                + previous
                + "' (names are compared ignoring case, as Spark SQL does)");
      }
    }
  }
}
