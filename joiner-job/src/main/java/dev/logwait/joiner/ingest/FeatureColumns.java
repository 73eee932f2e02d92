package dev.logwait.joiner.ingest;

import dev.logwait.schema.FeatureField;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.FeatureType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** A feature set's fields as Spark columns: one typed column per feature, versions aligned. */
final class FeatureColumns {
  private FeatureColumns() {}

  /**
   * The union of the versions' fields by name, widened where a type grew (int->long,
   * float->double).
   */
  static Map<String, DataType> aligned(Collection<FeatureSet> versions) {
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
    return switch (t) {
      case DOUBLE -> DataTypes.DoubleType;
      case FLOAT -> DataTypes.FloatType;
      case LONG -> DataTypes.LongType;
      case INT -> DataTypes.IntegerType;
      case BOOLEAN -> DataTypes.BooleanType;
      case STRING -> DataTypes.StringType;
      case FLOAT_VECTOR -> DataTypes.createArrayType(DataTypes.FloatType, true);
      case DOUBLE_VECTOR -> DataTypes.createArrayType(DataTypes.DoubleType, true);
      case SPARSE -> DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, true);
    };
  }
}
