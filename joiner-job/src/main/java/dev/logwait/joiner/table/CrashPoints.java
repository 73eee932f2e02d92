package dev.logwait.joiner.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * Fault injection for the crash and concurrency tests. With {@code
 * -Dlogwait.test.marker-dir=<dir>}, a run writes {@code <point>.reached} there at each point; with
 * {@code -Dlogwait.test.pause-at=<point>} it also stops at that point until the test either kills
 * the JVM (SIGKILL) or creates {@code <point>.resume}. Without the properties it does nothing. The
 * points: {@code before-commit-<table>}, {@code after-commit-<table>}, {@code writing-<table>},
 * {@code updating-<table>} (a restatement's MERGE), {@code between-ingest-and-join}, {@code
 * before-publish-<router>} (a router's state committed, not yet published), {@code
 * before-runs-record}.
 */
public final class CrashPoints {
  private static final String PAUSE_AT = System.getProperty("logwait.test.pause-at");
  private static final String MARKERS = System.getProperty("logwait.test.marker-dir");

  private CrashPoints() {}

  public static void reached(String point) {
    if (MARKERS == null) {
      return;
    }
    try {
      Files.writeString(Path.of(MARKERS, point + ".reached"), point);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!point.equals(PAUSE_AT)) {
      return;
    }
    Path resume = Path.of(MARKERS, point + ".resume");
    while (!Files.exists(resume)) { // until SIGKILL, or the test lets it go on
      LockSupport.parkNanos(20_000_000L);
      if (Thread.interrupted()) {
        throw new IllegalStateException("interrupted at crash point " + point);
      }
    }
  }
}
