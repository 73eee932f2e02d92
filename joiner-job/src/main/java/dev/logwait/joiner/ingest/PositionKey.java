package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;

/** The key of one topic-partition in logwait's committed offset maps: {@code topic/partition}. */
public final class PositionKey {
  private PositionKey() {}

  public static String of(String topic, int partition) {
    return topic + "/" + partition;
  }

  /** The topic of a key. */
  public static String topic(String key) {
    return key.substring(0, key.lastIndexOf('/'));
  }

  /** The partition of a key. */
  public static int partition(String key) {
    return Integer.parseInt(key.substring(key.lastIndexOf('/') + 1));
  }

  /**
   * Rows of {@code topic} ({@code kafka_partition}, {@code kafka_offset}) at or past {@code
   * position}: in a partition the position has, from its offset on; in one it lacks, all. Entries
   * of other topics are ignored.
   */
  public static Column atOrPast(Map<String, Long> position, String topic) {
    Column past = lit(false);
    List<Integer> known = new ArrayList<>();
    for (Map.Entry<String, Long> e : position.entrySet()) {
      if (topic(e.getKey()).equals(topic)) {
        int partition = partition(e.getKey());
        known.add(partition);
        past =
            past.or(
                col("kafka_partition")
                    .equalTo(partition)
                    .and(col("kafka_offset").geq(e.getValue())));
      }
    }
    return known.isEmpty() ? lit(true) : past.or(not(col("kafka_partition").isin(known.toArray())));
  }
}
