package dev.logwait.joiner.table;

import java.util.Map;

/**
 * The label watermark's input, committed with {@code raw_labels}: per labels partition, the latest
 * event time (micros) ingested. Read back by the join and {@code status}.
 */
public final class LabelProgress {
  /** Snapshot property on raw_labels: {@code partition -> latest occurred_at (micros)}. */
  private static final String PROPERTY = "logwait.label-progress";

  private LabelProgress() {}

  /** The progress committed in a raw_labels snapshot summary (empty when none). */
  public static Map<String, Long> in(Map<String, String> summary) {
    String json = summary.get(PROPERTY);
    return json == null ? Map.of() : Json.readLongMap(json);
  }

  /** The snapshot property that commits {@code progress}. */
  public static Map<String, String> property(Map<String, Long> progress) {
    return Map.of(PROPERTY, Json.write(progress));
  }
}
