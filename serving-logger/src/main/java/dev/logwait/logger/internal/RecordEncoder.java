package dev.logwait.logger.internal;

import java.io.IOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Encodes records as Avro single-object messages (header and body) into one reused buffer. One
 * thread at a time: the worker, or {@code close} after the worker stopped.
 *
 * @param <T> the record type
 */
final class RecordEncoder<T> {
  private final RecordWriter<T> writer;
  private final ReusableBuffer buffer = new ReusableBuffer(4096);
  // Buffered: Avro's encoder fills its own array and hands it over in chunks, instead of one
  // OutputStream call per value.
  private final BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer, null);

  RecordEncoder(RecordWriter<T> writer) {
    this.writer = writer;
  }

  /** The record's message: the header with {@code fingerprint}, then its body. */
  byte[] encode(T record, long fingerprint) throws IOException {
    buffer.reset();
    buffer.reserveHeader(fingerprint);
    writer.writeBody(record, encoder);
    encoder.flush();
    return buffer.toByteArray();
  }
}
