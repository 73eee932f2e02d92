package dev.logwait.joiner.ingest;

/** The offsets of one topic-partition a run reads: {@code [from, until)}. */
public record OffsetRange(String topic, int partition, long from, long until) {
  public String key() {
    return key(topic, partition);
  }

  public static String key(String topic, int partition) {
    return topic + "/" + partition;
  }

  public long count() {
    return until - from;
  }
}
