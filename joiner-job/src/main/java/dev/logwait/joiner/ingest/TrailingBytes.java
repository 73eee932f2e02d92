package dev.logwait.joiner.ingest;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.spark.sql.api.java.UDF2;

/**
 * How many bytes follow the Avro datum in a single-object body: a message must be consumed exactly,
 * and Spark's {@code from_avro} ignores what follows the record. The datum is skipped, not decoded
 * (Avro's {@link GenericDatumReader#skip}): a double is an 8-byte step. Null when the body does not
 * hold a whole datum (then {@code from_avro} has already said why).
 */
final class TrailingBytes implements UDF2<byte[], String, Integer> {
  private static final long serialVersionUID = 1L;

  /** Writer schemas by wire fingerprint (hex), as JSON: what travels to the executors. */
  private final Map<String, String> schemas;

  private transient Map<String, Schema> parsed;
  private transient BinaryDecoder reuse;

  TrailingBytes(Map<String, Schema> writers) {
    this.schemas = new HashMap<>();
    writers.forEach((hex, s) -> schemas.put(hex, s.toString()));
  }

  @Override
  public Integer call(byte[] body, String fingerprintHex) {
    if (body == null || fingerprintHex == null) {
      return null;
    }
    Schema schema = schema(fingerprintHex);
    if (schema == null) {
      return null;
    }
    reuse = DecoderFactory.get().binaryDecoder(body, reuse);
    try {
      GenericDatumReader.skip(schema, reuse);
      return reuse.inputStream().available();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private Schema schema(String hex) {
    if (parsed == null) {
      parsed = new HashMap<>();
    }
    return parsed.computeIfAbsent(
        hex, h -> schemas.get(h) == null ? null : new Schema.Parser().parse(schemas.get(h)));
  }
}
