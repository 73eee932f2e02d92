package dev.logwait.joiner.ingest;

/** Offsets fell out of Kafka's retention before logwait read them. */
public class DataLossException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataLossException(String message) {
    super(message);
  }
}
