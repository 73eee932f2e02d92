package dev.logwait.joiner.kafka;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Column;

/**
 * A complete offset map: the next offset to read of each topic-partition, as logwait commits it in
 * a table's snapshot summary (JSON {@code {"topic/partition": offset}}, the form of every release).
 * Immutable.
 */
public final class Positions {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Comparator<TopicPartition> ORDER =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  /** No position: every partition is read from its earliest offset. */
  public static final Positions NONE = new Positions(Map.of());

  private final Map<TopicPartition, Long> offsets;

  private Positions(Map<TopicPartition, Long> offsets) {
    TreeMap<TopicPartition, Long> sorted = new TreeMap<>(ORDER);
    sorted.putAll(offsets);
    this.offsets = Collections.unmodifiableMap(sorted);
  }

  /** Reads the committed JSON form. */
  public static Positions fromJson(String json) {
    try {
      Map<String, Long> keyed = JSON.readValue(json, new TypeReference<Map<String, Long>>() {});
      Map<TopicPartition, Long> out = new TreeMap<>(ORDER);
      keyed.forEach((k, v) -> out.put(parse(k), v));
      return new Positions(out);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read logwait positions " + json, e);
    }
  }

  /** The committed JSON form. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(keyed());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code "topic/partition" -> offset}: the form the {@code runs} table and reports show. */
  public Map<String, Long> keyed() {
    Map<String, Long> out = new TreeMap<>();
    offsets.forEach((tp, o) -> out.put(tp.topic() + "/" + tp.partition(), o));
    return out;
  }

  public Map<TopicPartition, Long> offsets() {
    return offsets;
  }

  /** The next offset of a partition, or {@code otherwise} when this map lacks it. */
  public long next(String topic, int partition, long otherwise) {
    return offsets.getOrDefault(new TopicPartition(topic, partition), otherwise);
  }

  /** This map with {@code topic}'s partitions moved to their log ends. */
  public Positions atEnds(String topic, Map<Integer, OffsetBounds> bounds) {
    Map<TopicPartition, Long> out = new TreeMap<>(ORDER);
    out.putAll(offsets);
    bounds.forEach((p, b) -> out.put(new TopicPartition(topic, p), b.latest()));
    return new Positions(out);
  }

  /** Both maps' entries; {@code other}'s win. */
  public Positions plus(Positions other) {
    Map<TopicPartition, Long> out = new TreeMap<>(ORDER);
    out.putAll(offsets);
    out.putAll(other.offsets);
    return new Positions(out);
  }

  /** True when every entry is of {@code topic} (or there is none). */
  public boolean onlyOf(String topic) {
    return offsets.keySet().stream().allMatch(tp -> tp.topic().equals(topic));
  }

  /**
   * Rows of {@code topic} ({@code kafka_partition}, {@code kafka_offset}) at or past this position:
   * in a partition the map has, from its offset on; in one it lacks, all. Entries of other topics
   * are ignored.
   */
  public Column atOrPast(String topic) {
    Column past = lit(false);
    List<Integer> known = new ArrayList<>();
    for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
      if (e.getKey().topic().equals(topic)) {
        int partition = e.getKey().partition();
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

  private static TopicPartition parse(String key) {
    int slash = key.lastIndexOf('/');
    return new TopicPartition(key.substring(0, slash), Integer.parseInt(key.substring(slash + 1)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Positions p && p.offsets.equals(offsets);
  }

  @Override
  public int hashCode() {
    return offsets.hashCode();
  }

  @Override
  public String toString() {
    return keyed().toString();
  }
}
