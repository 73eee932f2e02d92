package dev.logwait.schema;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Avro single-object encoding: {@code C3 01}, the writer schema's 8-byte little-endian CRC-64-AVRO
 * fingerprint, then the binary body. Stateless and thread-safe.
 */
public final class SingleObjectCodec {
  /** The first byte of every single-object message. */
  public static final byte MAGIC_0 = (byte) 0xC3;

  /** The second byte of every single-object message. */
  public static final byte MAGIC_1 = (byte) 0x01;

  /** Bytes before the body: magic (2) and fingerprint (8). */
  public static final int HEADER_LENGTH = 10;

  private SingleObjectCodec() {}

  /**
   * The fingerprint that messages written with a schema carry.
   *
   * @param schema a writer schema
   * @return its CRC-64-AVRO parsing fingerprint
   */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  /**
   * The fingerprint as people see it everywhere (error messages, the schemas topic's keys, the
   * quarantine's details): 16 lower-case hex digits of the 64-bit value.
   *
   * @param fingerprint a CRC-64-AVRO fingerprint
   * @return its 16 hex digits
   */
  public static String hex(long fingerprint) {
    return String.format("%016x", fingerprint);
  }

  /**
   * The fingerprint as the 16 hex digits of its little-endian bytes, as they are on the wire: a
   * matching key for decoders that compare header bytes, never shown to a person ({@link #hex}).
   *
   * @param fingerprint a CRC-64-AVRO fingerprint
   * @return the upper-case hex of its wire bytes
   */
  public static String wireHex(long fingerprint) {
    StringBuilder sb = new StringBuilder(16);
    for (int i = 0; i < 8; i++) {
      int b = (int) (fingerprint >>> (8 * i)) & 0xff;
      sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString().toUpperCase(java.util.Locale.ROOT);
  }

  /**
   * Writes the 10-byte header.
   *
   * @param out the buffer
   * @param offset where the header starts in it
   * @param fingerprint the writer schema's fingerprint
   */
  public static void writeHeader(byte[] out, int offset, long fingerprint) {
    out[offset] = MAGIC_0;
    out[offset + 1] = MAGIC_1;
    for (int i = 0; i < 8; i++) {
      out[offset + 2 + i] = (byte) (fingerprint >>> (8 * i));
    }
  }

  /**
   * Reads the fingerprint from a message's header.
   *
   * @param message a whole message
   * @return the fingerprint its header carries
   * @throws MalformedMessageException with {@code EMPTY}, {@code TOO_SHORT} or {@code BAD_MAGIC}
   */
  public static long readFingerprint(byte[] message) {
    if (message == null || message.length == 0) {
      throw new MalformedMessageException(MalformedMessageException.Reason.EMPTY, "no bytes");
    }
    if (message.length < HEADER_LENGTH) {
      throw new MalformedMessageException(
          MalformedMessageException.Reason.TOO_SHORT,
          "message of "
              + message.length
              + " bytes is shorter than the "
              + HEADER_LENGTH
              + "-byte single-object header");
    }
    if (message[0] != MAGIC_0 || message[1] != MAGIC_1) {
      throw new MalformedMessageException(
          MalformedMessageException.Reason.BAD_MAGIC,
          String.format(
              "expected magic C3 01, found %02X %02X", message[0] & 0xff, message[1] & 0xff));
    }
    long fp = 0;
    for (int i = 0; i < 8; i++) {
      fp |= (message[2 + i] & 0xffL) << (8 * i);
    }
    return fp;
  }

  /**
   * Encodes a generic record with its schema (for tools and tests; the logger encodes directly).
   *
   * @param record the record; its schema is the writer schema
   * @return the message: header and body
   */
  public static byte[] encode(GenericRecord record) {
    Schema schema = record.getSchema();
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    byte[] header = new byte[HEADER_LENGTH];
    writeHeader(header, 0, fingerprint(schema));
    out.writeBytes(header);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Decodes a message with the writer schema its fingerprint names.
   *
   * @param message a whole message
   * @param store the writer schemas known
   * @return the record, read with its writer schema
   * @throws MalformedMessageException naming what is wrong; never another exception for bad bytes
   */
  public static GenericRecord decode(byte[] message, SchemaStore store) {
    long fp = readFingerprint(message);
    Schema writer = store.find(fp);
    if (writer == null) {
      throw new MalformedMessageException(
          MalformedMessageException.Reason.UNKNOWN_FINGERPRINT,
          "no known writer schema has fingerprint "
              + hex(fp)
              + " (is the schemas topic complete?)");
    }
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(message, HEADER_LENGTH, message.length - HEADER_LENGTH, null);
    GenericRecord record;
    try {
      record = new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
    } catch (EOFException e) {
      throw new MalformedMessageException(
          MalformedMessageException.Reason.TRUNCATED_BODY,
          "body of "
              + (message.length - HEADER_LENGTH)
              + " bytes ends before the "
              + writer.getFullName()
              + " record does",
          e);
    } catch (IOException
        | AvroRuntimeException
        | IndexOutOfBoundsException
        | NegativeArraySizeException
        | UnsupportedOperationException
        | ClassCastException e) {
      throw new MalformedMessageException(
          MalformedMessageException.Reason.INVALID_BODY,
          "body does not decode as " + writer.getFullName() + ": " + e.getMessage(),
          e);
    }
    try {
      if (!decoder.isEnd()) {
        throw new MalformedMessageException(
            MalformedMessageException.Reason.TRAILING_BYTES,
            "bytes left over after the " + writer.getFullName() + " record");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return record;
  }
}
