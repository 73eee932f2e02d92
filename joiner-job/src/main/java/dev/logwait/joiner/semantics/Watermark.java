package dev.logwait.joiner.semantics;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;

/**
 * docs/design.md, "When is a window closed?": the label stream's own clock. The watermark is the
 * minimum over the labels topic's partitions of the latest {@code occurred_at} ingested (each
 * partition's <em>progress</em>), minus the allowed lateness. A partition that has never carried an
 * event holds it back (no watermark), so a stalled feed never produces false negatives. A
 * prediction is finalized once {@code served_at + longest window <= watermark}.
 *
 * @param micros the watermark, or null while some partition has carried no event
 * @param partitionsWithoutEvents what holds it back, for reports
 * @param idlePartitions partitions treated as idle ({@link IdlePartitions}), which hold nothing
 */
public record Watermark(
    Long micros, Collection<Integer> partitionsWithoutEvents, Collection<Integer> idlePartitions) {
  /** True once every partition has carried an event. */
  public boolean known() {
    return micros != null;
  }

  /**
   * @param progress latest event time (micros) per partition, as committed with raw_labels
   * @param partitions every partition of the labels topic
   */
  public static Watermark of(
      Map<String, Long> progress, Collection<Integer> partitions, Duration allowedLateness) {
    return of(progress, partitions, Set.of(), allowedLateness);
  }

  /**
   * As {@link #of(Map, Collection, Duration)}, with {@code idle} partitions holding nothing. When
   * every partition is idle, the feed has stopped everywhere: the watermark is the latest progress
   * any partition made.
   */
  public static Watermark of(
      Map<String, Long> progress,
      Collection<Integer> partitions,
      Collection<Integer> idle,
      Duration allowedLateness) {
    TreeSet<Integer> missing = new TreeSet<>();
    TreeSet<Integer> idleOnes = new TreeSet<>();
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int p : partitions) {
      Long latest = progress.get(String.valueOf(p));
      if (latest != null) {
        max = Math.max(max, latest);
      }
      if (idle.contains(p)) {
        idleOnes.add(p);
      } else if (latest == null) {
        missing.add(p);
      } else {
        min = Math.min(min, latest);
      }
    }
    if (partitions.isEmpty() || !missing.isEmpty()) {
      return new Watermark(null, missing, idleOnes);
    }
    if (min == Long.MAX_VALUE) { // every partition idle
      min = max;
    }
    if (min == Long.MIN_VALUE) {
      return new Watermark(null, missing, idleOnes);
    }
    return new Watermark(min - TimeUnit.MICROSECONDS.convert(allowedLateness), missing, idleOnes);
  }

  /** Progress only moves forward: the later of each partition's committed and new progress. */
  public static Map<String, Long> advance(Map<String, Long> committed, Map<String, Long> batch) {
    Map<String, Long> out = new TreeMap<>(committed);
    batch.forEach((p, t) -> out.merge(p, t, Math::max));
    return out;
  }

  /** The finalization rule on plain values: the longest window has closed at the watermark. */
  public static boolean finalized(long servedAt, long longestWindowMicros, long watermark) {
    return servedAt <= watermark - longestWindowMicros;
  }

  /** {@link #finalized(long, long, long)} at this watermark, on {@code served_at} (a timestamp). */
  public Column finalized(Column servedAt, long longestWindowMicros) {
    return servedAt.leq(instant(openFrom(longestWindowMicros)));
  }

  /**
   * A timestamp literal, to microseconds. Compare a timestamp column with it, never {@code
   * unix_micros(column)} with a number: Spark pushes only the first down to Iceberg, which then
   * prunes day partitions and files instead of reading the table's whole history.
   */
  public static Column instant(long micros) {
    return org.apache.spark.sql.functions.lit(
        java.time.Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L));
  }

  /**
   * The earliest serving time still open at this watermark: predictions served after it wait on. (A
   * prediction served exactly then is finalized.)
   */
  public long openFrom(long longestWindowMicros) {
    return micros - longestWindowMicros;
  }
}
