package dev.logwait.logger.internal;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;

/**
 * Serializes one kind of record for the engine's worker thread. Implementations are stateless.
 *
 * @param <T> the record type
 */
public interface RecordWriter<T> {
  /** The record's writer schema. */
  Schema schema(T record);

  /** Its fingerprint (what the header carries); cached by the implementation. */
  long fingerprint(T record);

  /** True when the schema must be on the schemas topic before the record is sent. */
  boolean publishesSchema();

  /** The Kafka message key. */
  byte[] key(T record);

  /** Writes the Avro body (without the single-object header). */
  void writeBody(T record, Encoder out) throws IOException;
}
