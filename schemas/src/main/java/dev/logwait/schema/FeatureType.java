package dev.logwait.schema;

import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** The value types a feature may have, and the Avro type each becomes. */
public enum FeatureType {
  /** A {@code double}. */
  DOUBLE(Schema.Type.DOUBLE, 0.0d),
  /** A {@code float}. */
  FLOAT(Schema.Type.FLOAT, 0.0f),
  /** A {@code long}. */
  LONG(Schema.Type.LONG, 0L),
  /** An {@code int}. */
  INT(Schema.Type.INT, 0),
  /** A {@code boolean}. */
  BOOLEAN(Schema.Type.BOOLEAN, false),
  /** A string. */
  STRING(Schema.Type.STRING, ""),
  /** A dense {@code array<float>}, e.g. an embedding. */
  FLOAT_VECTOR(Schema.Type.ARRAY, List.of()),
  /** A dense {@code array<double>}. */
  DOUBLE_VECTOR(Schema.Type.ARRAY, List.of()),
  /** A sparse {@code map<string,double>}. */
  SPARSE(Schema.Type.MAP, Map.of());

  private final Schema.Type avroType;
  private final Object defaultValue;

  FeatureType(Schema.Type avroType, Object defaultValue) {
    this.avroType = avroType;
    this.defaultValue = defaultValue;
  }

  /**
   * Whether values of this type are held in primitive slots.
   *
   * @return true for numbers and booleans (no object per value)
   */
  public boolean isPrimitive() {
    return ordinal() <= BOOLEAN.ordinal();
  }

  /**
   * The Avro schema of a value of this type.
   *
   * @return a new schema
   */
  public Schema avroSchema() {
    switch (this) {
      case FLOAT_VECTOR:
        return Schema.createArray(Schema.create(Schema.Type.FLOAT));
      case DOUBLE_VECTOR:
        return Schema.createArray(Schema.create(Schema.Type.DOUBLE));
      case SPARSE:
        return Schema.createMap(Schema.create(Schema.Type.DOUBLE));
      default:
        return Schema.create(avroType);
    }
  }

  /** The default written into the schema, so that adding a field is a compatible change. */
  Object defaultValue() {
    return defaultValue;
  }

  /** The type a schema describes, or {@code null} when it is none of ours. */
  static FeatureType of(Schema schema) {
    switch (schema.getType()) {
      case DOUBLE:
        return DOUBLE;
      case FLOAT:
        return FLOAT;
      case LONG:
        return LONG;
      case INT:
        return INT;
      case BOOLEAN:
        return BOOLEAN;
      case STRING:
        return STRING;
      case ARRAY:
        Schema.Type element = schema.getElementType().getType();
        return element == Schema.Type.FLOAT
            ? FLOAT_VECTOR
            : element == Schema.Type.DOUBLE ? DOUBLE_VECTOR : null;
      case MAP:
        return schema.getValueType().getType() == Schema.Type.DOUBLE ? SPARSE : null;
      default:
        return null;
    }
  }
}
