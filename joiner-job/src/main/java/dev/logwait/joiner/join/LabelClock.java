package dev.logwait.joiner.join;

import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.kafka.OffsetBounds;
import dev.logwait.joiner.semantics.IdlePartitions;
import dev.logwait.joiner.semantics.Watermark;
import java.util.Map;
import java.util.TreeMap;

/** The label watermark of a configuration, from committed progress and the topic's bounds. */
public final class LabelClock {
  private LabelClock() {}

  /**
   * @param progress latest event time (micros) per partition, as committed with raw_labels
   * @param bounds the labels topic's partitions as Kafka holds them now
   */
  public static Watermark watermark(
      JoinerConfig config, Map<String, Long> progress, Map<Integer, OffsetBounds> bounds) {
    Map<Integer, Long> newest = new TreeMap<>();
    long readAt = Long.MAX_VALUE;
    for (Map.Entry<Integer, OffsetBounds> e : bounds.entrySet()) {
      OffsetBounds b = e.getValue();
      newest.put(e.getKey(), b.latest() == 0 ? -1 : b.newestTimestamp());
      readAt = Math.min(readAt, b.readAtMillis());
    }
    // quiet times are measured to when the bounds were read, not to when the join runs
    return Watermark.of(
        progress,
        bounds.keySet(),
        IdlePartitions.of(newest, config.labelPartitionsIdleAfter(), readAt),
        config.allowedLateness());
  }
}
