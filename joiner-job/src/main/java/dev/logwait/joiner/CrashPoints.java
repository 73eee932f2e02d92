package dev.logwait.joiner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Fault injection for the crash tests: with {@code -Dlogwait.test.pause-at=<point>} and {@code
 * -Dlogwait.test.marker-dir=<dir>}, a run that reaches the point writes {@code <point>.reached}
 * there and stops until the test kills the JVM with SIGKILL. Without the properties it does
 * nothing. The points: {@code before-commit-<table>}, {@code after-commit-<table>}, {@code
 * between-ingest-and-join}, {@code before-runs-record}.
 */
public final class CrashPoints {
  private static final String PAUSE_AT = System.getProperty("logwait.test.pause-at");
  private static final String MARKERS = System.getProperty("logwait.test.marker-dir");

  private CrashPoints() {}

  public static void reached(String point) {
    if (PAUSE_AT == null || MARKERS == null || !PAUSE_AT.equals(point)) {
      return;
    }
    try {
      Files.writeString(Path.of(MARKERS, point + ".reached"), point);
      new CountDownLatch(1).await(); // until SIGKILL
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted at crash point " + point, e);
    }
  }
}
