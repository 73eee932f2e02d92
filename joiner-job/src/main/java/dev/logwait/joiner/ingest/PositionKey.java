package dev.logwait.joiner.ingest;

/** The key of one topic-partition in logwait's committed offset maps: {@code topic/partition}. */
public final class PositionKey {
  private PositionKey() {}

  public static String of(String topic, int partition) {
    return topic + "/" + partition;
  }
}
