package dev.logwait.joiner.table;

/**
 * A commit to one of logwait's tables failed for a reason other than a concurrent run (a data
 * location that cannot be written, a catalog that refuses): nothing of it was committed. The
 * message names the table and the root cause in one line.
 */
public final class TableWriteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TableWriteException(String table, Throwable cause) {
    super("Writing " + table + " failed: " + rootCause(cause), cause);
  }

  /** The innermost cause as {@code Type: message}, its message cut at the first line break. */
  static String rootCause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage());
    int nl = message.indexOf('\n');
    return root.getClass().getSimpleName() + ": " + (nl < 0 ? message : message.substring(0, nl));
  }
}
