package dev.logwait.joiner.cli;

import java.time.Duration;

/** When the stream's next batch starts: one trigger after the last one started, or at once. */
final class Trigger {
  /** The shortest trigger the stream takes. */
  static final Duration MINIMUM = Duration.ofSeconds(1);

  private Trigger() {}

  /** Nanoseconds to wait after a batch that started at {@code started} and ended at {@code now}. */
  static long waitNanos(long started, long now, Duration every) {
    return Math.max(0, started + every.toNanos() - now);
  }
}
