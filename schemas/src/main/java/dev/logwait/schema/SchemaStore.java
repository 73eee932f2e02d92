package dev.logwait.schema;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Writer schemas by fingerprint. {@link #shipped()} knows every released label schema; feature-set
 * schemas are added from the schemas topic ({@link SchemaTopic}). Thread-safe.
 */
public final class SchemaStore implements org.apache.avro.message.SchemaStore {
  private final Map<Long, Schema> byFingerprint = new ConcurrentHashMap<>();

  /** An empty store. */
  public SchemaStore() {}

  /**
   * A store holding every label schema logwait has released.
   *
   * @return a new store
   */
  public static SchemaStore shipped() {
    SchemaStore store = new SchemaStore();
    LogwaitSchemas.labelEventHistory().forEach(store::add);
    store.add(LogwaitSchemas.labelEvent());
    return store;
  }

  /**
   * Adds a writer schema.
   *
   * @param schema a writer schema
   * @return its fingerprint
   */
  public long add(Schema schema) {
    long fp = SingleObjectCodec.fingerprint(schema);
    byFingerprint.putIfAbsent(fp, schema);
    return fp;
  }

  /**
   * Adds every schema.
   *
   * @param schemas writer schemas
   * @return this store
   */
  public SchemaStore addAll(Collection<Schema> schemas) {
    schemas.forEach(this::add);
    return this;
  }

  /**
   * A schema by fingerprint.
   *
   * @param fingerprint a CRC-64-AVRO fingerprint
   * @return the schema, or {@code null} when none has that fingerprint
   */
  public Schema find(long fingerprint) {
    return byFingerprint.get(fingerprint);
  }

  @Override
  public Schema findByFingerprint(long fingerprint) {
    return find(fingerprint);
  }

  /**
   * The schemas held.
   *
   * @return a snapshot, by fingerprint
   */
  public Map<Long, Schema> asMap() {
    return Map.copyOf(byFingerprint);
  }

  /**
   * How many schemas the store holds.
   *
   * @return the count
   */
  public int size() {
    return byFingerprint.size();
  }
}
