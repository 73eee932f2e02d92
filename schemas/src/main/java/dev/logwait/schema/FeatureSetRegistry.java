package dev.logwait.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;

/**
 * The versions of each feature set that a process knows. Registering a version checks it against
 * the nearest older one: fields may be added (they carry defaults) and dropped; a field's type may
 * only widen in ways both Avro and the Iceberg training table resolve (int to long, float to
 * double). Anything else is refused with a message that names the field.
 *
 * <p>Thread-safe.
 */
public final class FeatureSetRegistry {
  private final Map<String, TreeMap<Integer, FeatureSet>> versions = new ConcurrentHashMap<>();

  /**
   * Registers a feature set version; registering the same declaration twice is a no-op.
   *
   * @param set the version to register
   * @return the registered version (the earlier instance when it was registered before)
   * @throws IncompatibleSchemaException when the change from the previous version cannot be
   *     resolved, or the same version is registered with a different declaration
   */
  public synchronized FeatureSet register(FeatureSet set) {
    TreeMap<Integer, FeatureSet> byVersion =
        versions.computeIfAbsent(set.name(), k -> new TreeMap<>());
    FeatureSet existing = byVersion.get(set.version());
    if (existing != null) {
      if (!existing.equals(set)) {
        throw new IncompatibleSchemaException(
            "Feature set "
                + set.name()
                + " version "
                + set.version()
                + " is already registered with different fields; declare a new version instead");
      }
      return existing;
    }
    Map.Entry<Integer, FeatureSet> older = byVersion.lowerEntry(set.version());
    if (older != null) {
      checkCompatible(older.getValue(), set);
    }
    Map.Entry<Integer, FeatureSet> newer = byVersion.higherEntry(set.version());
    if (newer != null) {
      checkCompatible(set, newer.getValue());
    }
    byVersion.put(set.version(), set);
    return set;
  }

  /**
   * The registered versions of a feature set.
   *
   * @param name the feature set's name
   * @return its versions, oldest first (empty when unknown)
   */
  public List<FeatureSet> versions(String name) {
    TreeMap<Integer, FeatureSet> byVersion = versions.get(name);
    return byVersion == null ? List.of() : new ArrayList<>(byVersion.values());
  }

  /**
   * Every registered version of every feature set.
   *
   * @return a copy, in no particular order
   */
  public synchronized Collection<FeatureSet> all() {
    List<FeatureSet> out = new ArrayList<>();
    versions.values().forEach(v -> out.addAll(v.values()));
    return out;
  }

  /**
   * Checks that {@code next} can read data written as {@code previous}, and that each shared
   * field's type is one the training table can hold across both.
   *
   * @param previous the older version
   * @param next the newer version
   * @throws IncompatibleSchemaException naming the first field that cannot be resolved
   */
  public static void checkCompatible(FeatureSet previous, FeatureSet next) {
    for (FeatureField was : previous.fields()) {
      FeatureField now = next.field(was.name());
      if (now != null && now.type() != was.type() && !widens(was.type(), now.type())) {
        throw new IncompatibleSchemaException(
            "Feature set "
                + next.name()
                + " version "
                + next.version()
                + " changes field '"
                + was.name()
                + "' from "
                + was.type()
                + " (version "
                + previous.version()
                + ") to "
                + now.type()
                + "; only int->long and float->double are allowed. Add a new field"
                + " with a new name instead");
      }
    }
    // Avro's own verdict, on records renamed alike (the version is part of the record name).
    Schema reader = next.featuresSchema();
    Schema writer = renamed(previous.featuresSchema(), reader.getFullName());
    SchemaCompatibilityResult result =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    if (result.getCompatibility() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      Incompatibility first = result.getIncompatibilities().get(0);
      throw new IncompatibleSchemaException(
          "Feature set "
              + next.name()
              + " version "
              + next.version()
              + " cannot read version "
              + previous.version()
              + ": "
              + first.getType()
              + " at "
              + first.getLocation()
              + " ("
              + first.getMessage()
              + ")");
    }
  }

  private static boolean widens(FeatureType from, FeatureType to) {
    return (from == FeatureType.INT && to == FeatureType.LONG)
        || (from == FeatureType.FLOAT && to == FeatureType.DOUBLE);
  }

  private static Schema renamed(Schema record, String fullName) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      fields.add(new Schema.Field(f, f.schema()));
    }
    return Schema.createRecord(fullName, record.getDoc(), null, false, fields);
  }
}
