package dev.logwait.joiner.semantics;

import java.time.Duration;
import java.util.Map;
import java.util.TreeSet;

/**
 * docs/design.md, "When is a window closed?": a labels partition that has never carried an event
 * holds every window open, unless the user declares partitions idle after a quiet time ({@code
 * label-partitions-idle-after}, off by default). A partition is idle when its newest record, by
 * Kafka timestamp (the log end, not only what was ingested), is older than that, or when it has
 * never carried a record; an idle partition stops holding the watermark.
 */
public final class IdlePartitions {
  private IdlePartitions() {}

  /**
   * @param newestRecordMillis per partition, the newest record's Kafka timestamp (negative: none)
   * @param idleAfter the quiet time, or null when partitions are never treated as idle
   */
  public static TreeSet<Integer> of(
      Map<Integer, Long> newestRecordMillis, Duration idleAfter, long nowMillis) {
    TreeSet<Integer> idle = new TreeSet<>();
    if (idleAfter == null) {
      return idle;
    }
    newestRecordMillis.forEach(
        (partition, newest) -> {
          if (newest < 0 || nowMillis - newest >= idleAfter.toMillis()) {
            idle.add(partition);
          }
        });
    return idle;
  }
}
