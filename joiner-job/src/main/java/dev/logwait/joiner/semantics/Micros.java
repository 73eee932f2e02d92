package dev.logwait.joiner.semantics;

import java.time.Duration;

/** Durations as the microseconds every logwait timestamp is counted in. */
public final class Micros {
  private Micros() {}

  /** {@code d} in microseconds (truncated); throws on overflow. */
  public static long of(Duration d) {
    return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1000);
  }
}
