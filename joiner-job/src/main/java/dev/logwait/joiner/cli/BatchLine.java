package dev.logwait.joiner.cli;

import dev.logwait.joiner.JoinerJob;
import java.time.Instant;
import java.util.Map;

/** The stream's progress line for one batch. */
final class BatchLine {
  private BatchLine() {}

  static String of(long batch, JoinerJob.Summary s) {
    Map<String, Long> c = s.counts();
    return String.format(
            "[stream] batch %d: %,d predictions and %,d labels ingested, %,d quarantined, %,d"
                + " finalized; watermark %s, lag %s; %.1f s",
            batch,
            c.getOrDefault("predictions_written", 0L),
            c.getOrDefault("labels_written", 0L),
            c.getOrDefault("quarantined", 0L),
            c.getOrDefault("finalized", 0L),
            s.watermarkMicros() == null
                ? "none yet"
                : Instant.ofEpochMilli(s.watermarkMicros() / 1000).toString(),
            c.containsKey("watermark_lag_seconds") ? c.get("watermark_lag_seconds") + " s" : "–",
            s.millis() / 1000.0)
        + routers(c);
  }

  /** The routers whose posteriors the batch published, where there are any. */
  private static String routers(Map<String, Long> counts) {
    java.util.List<String> published =
        counts.keySet().stream()
            .filter(k -> k.startsWith("router_published."))
            .map(k -> k.substring("router_published.".length()))
            .toList();
    return published.isEmpty() ? "" : "; posteriors published: " + String.join(", ", published);
  }
}
