package dev.logwait.joiner.table;

/**
 * Another run committed to a table after this run read its position: this run's commit to that
 * table was refused whole (optimistic concurrency), so nothing is written twice.
 */
public class ConcurrentRunException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConcurrentRunException(String message, Throwable cause) {
    super(message, cause);
  }
}
