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

  /** A store holding every label schema logwait has released. */
  public static SchemaStore shipped() {
    SchemaStore store = new SchemaStore();
    LogwaitSchemas.labelEventHistory().forEach(store::add);
    store.add(LogwaitSchemas.labelEvent());
    return store;
  }

  /** Adds a writer schema and returns its fingerprint. */
  public long add(Schema schema) {
    long fp = SingleObjectCodec.fingerprint(schema);
    byFingerprint.putIfAbsent(fp, schema);
    return fp;
  }

  /** Adds every schema. */
  public SchemaStore addAll(Collection<Schema> schemas) {
    schemas.forEach(this::add);
    return this;
  }

  /** The schema with that fingerprint, or {@code null}. */
  public Schema find(long fingerprint) {
    return byFingerprint.get(fingerprint);
  }

  @Override
  public Schema findByFingerprint(long fingerprint) {
    return find(fingerprint);
  }

  /** A snapshot of the fingerprints and schemas held. */
  public Map<Long, Schema> asMap() {
    return Map.copyOf(byFingerprint);
  }

  public int size() {
    return byFingerprint.size();
  }
}
