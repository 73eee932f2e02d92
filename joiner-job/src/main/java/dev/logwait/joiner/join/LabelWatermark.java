package dev.logwait.joiner.join;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * The label stream's own clock: the minimum over the labels topic's partitions of the latest {@code
 * occurred_at} ingested, minus the allowed lateness. A partition that has never carried an event
 * holds it back (no watermark), so a stalled feed never produces false negatives.
 */
public final class LabelWatermark {
  private LabelWatermark() {}

  /** What holds the watermark, for reports. */
  public record Result(Long micros, Collection<Integer> partitionsWithoutEvents) {
    public boolean known() {
      return micros != null;
    }
  }

  /**
   * @param progress latest event time (micros) per partition, as committed with raw_labels
   * @param partitions every partition of the labels topic
   */
  public static Result compute(
      Map<String, Long> progress, Collection<Integer> partitions, Duration allowedLateness) {
    TreeSet<Integer> missing = new TreeSet<>();
    long min = Long.MAX_VALUE;
    for (int p : partitions) {
      Long latest = progress.get(String.valueOf(p));
      if (latest == null) {
        missing.add(p);
      } else {
        min = Math.min(min, latest);
      }
    }
    if (partitions.isEmpty() || !missing.isEmpty()) {
      return new Result(null, missing);
    }
    return new Result(min - allowedLateness.toNanos() / 1000, missing);
  }

  /** A prediction is finalized when its longest window has closed at the watermark. */
  public static boolean finalized(long servedAtMicros, Duration longestWindow, long watermark) {
    return servedAtMicros + longestWindow.toNanos() / 1000 <= watermark;
  }
}
