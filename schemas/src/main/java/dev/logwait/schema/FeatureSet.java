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

  /**
   * Starts declaring a feature set.
   *
   * @param name lower-case name; it becomes part of the training table's name
   * @param version the declaration's version (a new version may add or drop fields)
   * @return a builder to add the fields to, in record order
   */
  public static Builder builder(String name, int version) {
    return new Builder(name, version);
  }

  /**
   * Reads a feature set back from a writer schema that {@link #writerSchema()} produced (as found
   * on the schemas topic).
   *
   * @param writer a prediction writer schema
   * @return the feature set it declares
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

  /**
   * The feature set's name.
   *
   * @return the name given to {@link #builder}
   */
  public String name() {
    return name;
  }

  /**
   * The declaration's version.
   *
   * @return the version given to {@link #builder}
   */
  public int version() {
    return version;
  }

  /**
   * The fields.
   *
   * @return the fields in record order (unmodifiable)
   */
  public List<FeatureField> fields() {
    return fields;
  }

  /**
   * The type of a field (an array read, for the logger's hot path).
   *
   * @param index the field's position in record order
   * @return its type
   */
  public FeatureType type(int index) {
    return types[index];
  }

  /**
   * A field by name.
   *
   * @param fieldName the field's name
   * @return the field, or {@code null} when the set has none of that name
   */
  public FeatureField field(String fieldName) {
    return byName.get(fieldName);
  }

  /** How many fields are held in primitive slots (numbers and booleans). */
  int primitiveSlots() {
    return primitiveSlots;
  }

  /** How many fields are held as objects (strings, vectors, sparse maps). */
  int objectSlots() {
    return objectSlots;
  }

  /**
   * The Avro record of the feature values alone.
   *
   * @return the features record schema
   */
  public Schema featuresSchema() {
    return featuresSchema;
  }

  /**
   * The full writer schema of a logged prediction.
   *
   * @return the envelope with this set's record as its {@code features}
   */
  public Schema writerSchema() {
    return writerSchema;
  }

  /**
   * The CRC-64-AVRO fingerprint of {@link #writerSchema()}.
   *
   * @return what each message's header carries
   */
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

    /**
     * Adds a field of any type.
     *
     * @param fieldName the field's name (letters, digits and '_'; unique ignoring case)
     * @param type its type
     * @return this builder
     */
    public Builder add(String fieldName, FeatureType type) {
      Objects.requireNonNull(type, "type");
      checkFieldName(fieldName);
      int slot = type.isPrimitive() ? primitive++ : object++;
      fields.add(new FeatureField(fieldName, type, fields.size(), slot));
      return this;
    }

    /**
     * Adds a {@code double} field.
     *
     * @param fieldName the field's name
     * @return this builder
     */
    public Builder addDouble(String fieldName) {
      return add(fieldName, FeatureType.DOUBLE);
    }

    /**
     * Adds a {@code float} field.
     *
     * @param fieldName the field's name
     * @return this builder
     */
    public Builder addFloat(String fieldName) {
      return add(fieldName, FeatureType.FLOAT);
    }

    /**
     * Adds a {@code long} field.
     *
     * @param fieldName the field's name
     * @return this builder
     */
    public Builder addLong(String fieldName) {
      return add(fieldName, FeatureType.LONG);
    }

    /**
     * Adds an {@code int} field.
     *
     * @param fieldName the field's name
     * @return this builder
     */
    public Builder addInt(String fieldName) {
      return add(fieldName, FeatureType.INT);
    }

    /**
     * Adds a {@code boolean} field.
     *
     * @param fieldName the field's name
     * @return this builder
     */
    public Builder addBoolean(String fieldName) {
      return add(fieldName, FeatureType.BOOLEAN);
    }

    /**
     * Adds a string field.
     *
     * @param fieldName the field's name
     * @return this builder
     */
    public Builder addString(String fieldName) {
      return add(fieldName, FeatureType.STRING);
    }

    /**
     * Adds a dense vector of floats (an embedding) field.
     *
     * @param fieldName the field's name
     * @return this builder
     */
    public Builder addFloatVector(String fieldName) {
      return add(fieldName, FeatureType.FLOAT_VECTOR);
    }

    /**
     * Adds a dense vector of doubles field.
     *
     * @param fieldName the field's name
     * @return this builder
     */
    public Builder addDoubleVector(String fieldName) {
      return add(fieldName, FeatureType.DOUBLE_VECTOR);
    }

    /**
     * Adds a sparse map of string keys to doubles field.
     *
     * @param fieldName the field's name
     * @return this builder
     */
    public Builder addSparse(String fieldName) {
      return add(fieldName, FeatureType.SPARSE);
    }

    /**
     * Adds double fields named {@code prefix0} to {@code prefix<count-1>}.
     *
     * @param prefix the fields' common prefix
     * @param count how many
     * @return this builder
     */
    public Builder addDoubles(String prefix, int count) {
      for (int i = 0; i < count; i++) {
        addDouble(prefix + i);
      }
      return this;
    }

    /**
     * Builds the feature set.
     *
     * @return the declared feature set, immutable
     * @throws IllegalArgumentException when no field was added
     */
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
