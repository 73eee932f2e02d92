package dev.logwait.joiner.table;

/** Progress of long work, for people watching a run (logger {@code logwait}). */
public final class Progress {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("logwait");

  private Progress() {}

  /** Logs {@code "<what> in <seconds> s"}, the seconds since {@code startedNanos}. */
  public static void done(long startedNanos, String what, Object... args) {
    if (LOG.isInfoEnabled()) {
      Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
      all[args.length] = String.format("%.1f", (System.nanoTime() - startedNanos) / 1e9);
      LOG.info(what + " in {} s", all);
    }
  }

  /** Logs a line. */
  public static void info(String message, Object... args) {
    LOG.info(message, args);
  }
}
