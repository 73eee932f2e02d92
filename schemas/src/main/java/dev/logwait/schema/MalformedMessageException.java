package dev.logwait.schema;

/**
 * A message that is not a decodable single-object-encoded Avro record. {@link #reason()} says which
 * check failed; the joiner writes it to the quarantine table.
 */
public class MalformedMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with a message. The names are stable: the quarantine table stores them. */
  public enum Reason {
    /** No bytes at all (a null or empty Kafka value). */
    EMPTY,
    /** Fewer bytes than the 10-byte single-object header. */
    TOO_SHORT,
    /** The first two bytes are not {@code C3 01}. */
    BAD_MAGIC,
    /** No known writer schema has the header's fingerprint. */
    UNKNOWN_FINGERPRINT,
    /** The body ends before the record does. */
    TRUNCATED_BODY,
    /** The body holds more bytes than the record. */
    TRAILING_BYTES,
    /** The body does not decode with the writer schema. */
    INVALID_BODY
  }

  /** What is wrong with the message. */
  private final Reason reason;

  /**
   * A malformed message.
   *
   * @param reason what is wrong, as the quarantine names it
   * @param message the details
   */
  public MalformedMessageException(Reason reason, String message) {
    this(reason, message, null);
  }

  /**
   * A malformed message, with the decoder's own error.
   *
   * @param reason what is wrong, as the quarantine names it
   * @param message the details
   * @param cause the decoder's error
   */
  public MalformedMessageException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  /**
   * What is wrong.
   *
   * @return the reason, as the quarantine names it
   */
  public Reason reason() {
    return reason;
  }
}
