package dev.logwait.logger.internal;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every count a logger reports, and the warnings (at most one per kind every 30 s) when records are
 * dropped or will never be sent. Callers, the worker and the producer's callbacks count here; any
 * thread may take a {@link #snapshot()}.
 */
final class Counters {
  // The engine's warnings keep the engine's logger name, which services may have configured.
  private static final Logger LOG = LoggerFactory.getLogger(LoggerEngine.class);
  private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(30).toNanos();

  private final String description;
  private final LongSupplier nanoTime;
  private final long recovered;

  private final LongAdder logged = new LongAdder();
  private final LongAdder sampledOut = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Map<String, LongAdder> failedBy = new ConcurrentHashMap<>();
  private final LongAdder schemasPublished = new LongAdder();
  private final LongAdder spooled = new LongAdder();
  private final LongAdder replayed = new LongAdder();
  private final LongAdder spoolDropped = new LongAdder();
  private final LongAdder withUnsetFeatures = new LongAdder();
  private final LongAdder withoutScore = new LongAdder();
  private final LongAdder refusedUnset = new LongAdder();

  // The spool's size, as the worker last published it (written by one thread at a time).
  private volatile long spoolRecords;
  private volatile long spoolBytes;
  private volatile long spoolCorruptBytes;

  private volatile long lastDropWarnNanos;
  private volatile long lastFailWarnNanos;

  /**
   * @param description the logger's client id, for warnings
   * @param recovered records found in the spool at start (an earlier run's)
   * @param nanoTime the clock of the warnings' interval
   */
  Counters(String description, long recovered, LongSupplier nanoTime) {
    this.description = description;
    this.recovered = recovered;
    this.nanoTime = nanoTime;
    // the first warning of each kind is never held back
    this.lastDropWarnNanos = nanoTime.getAsLong() - WARN_INTERVAL_NANOS - 1;
    this.lastFailWarnNanos = lastDropWarnNanos;
  }

  void logged() {
    logged.increment();
  }

  void sampledOut() {
    sampledOut.increment();
  }

  void unset(boolean features, boolean score) {
    if (features) {
      withUnsetFeatures.increment();
    }
    if (score) {
      withoutScore.increment();
    }
  }

  void refusedUnset() {
    refusedUnset.increment();
  }

  void sent() {
    sent.increment();
  }

  /** A spooled segment's records, acknowledged when re-sent. */
  void replayed(int records) {
    sent.add(records);
    replayed.add(records);
  }

  void spooled() {
    spooled.increment();
  }

  void spoolDropped() {
    spoolDropped.increment();
  }

  void schemaPublished() {
    schemasPublished.increment();
  }

  void spoolSize(long records, long bytes, long corruptBytes) {
    spoolRecords = records;
    spoolBytes = bytes;
    spoolCorruptBytes = corruptBytes;
  }

  /** A record refused by a full queue or a closed logger. */
  void dropped(boolean closed) {
    dropped.increment();
    long now = nanoTime.getAsLong();
    if (now - lastDropWarnNanos > WARN_INTERVAL_NANOS) {
      lastDropWarnNanos = now;
      LOG.warn(
          "logwait logger {} dropped records ({}); totals so far: {}",
          description,
          closed ? "closed" : "queue full",
          snapshot());
    }
  }

  /** A record that will never be sent, counted under {@code errorClass}; the warning says why. */
  void fail(String errorClass, Throwable cause) {
    failedBy.computeIfAbsent(errorClass, k -> new LongAdder()).increment();
    failed.increment();
    long now = nanoTime.getAsLong();
    if (now - lastFailWarnNanos > WARN_INTERVAL_NANOS) {
      lastFailWarnNanos = now;
      LOG.warn(
          "logwait logger {} failed to send records ({}: {}); totals so far: {}",
          description,
          errorClass,
          describe(cause),
          snapshot(),
          cause);
    }
  }

  /** Records logged and found in the spool at start: what a flush waits for. */
  long toAccountFor() {
    return logged.sum() + recovered;
  }

  /** Records that are sent, failed, or dropped by a full spool. */
  long accounted() {
    return sent.sum() + failed.sum() + spoolDropped.sum();
  }

  Counts snapshot() {
    Map<String, Long> by = new TreeMap<>();
    failedBy.forEach((k, v) -> by.put(k, v.sum()));
    // sent and failed before logged: a record counted in between shows as in flight, never as
    // accounted for twice
    long s = sent.sum();
    long f = failed.sum();
    return new Counts(
        logged.sum(),
        sampledOut.sum(),
        dropped.sum(),
        s,
        f,
        by,
        schemasPublished.sum(),
        spooled.sum(),
        replayed.sum(),
        spoolDropped.sum(),
        spoolRecords,
        spoolBytes,
        spoolCorruptBytes,
        recovered,
        withUnsetFeatures.sum(),
        withoutScore.sum(),
        refusedUnset.sum());
  }

  /** The cause and what caused it, in one line. */
  static String describe(Throwable t) {
    if (t == null) {
      return "no cause";
    }
    StringBuilder sb = new StringBuilder(String.valueOf(t));
    for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
      sb.append("; caused by ").append(c);
      if (c.getCause() == c) {
        break;
      }
    }
    return sb.toString();
  }
}
