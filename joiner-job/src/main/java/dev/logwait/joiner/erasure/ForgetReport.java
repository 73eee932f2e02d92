package dev.logwait.joiner.erasure;

import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.kafka.TopicRetention;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What {@code forget} prints: per table what went, and how long Kafka still holds messages. */
final class ForgetReport {
  private final PrintStream out;

  ForgetReport(PrintStream out) {
    this.out = out;
  }

  void print(
      Deletes deletes,
      Map<String, Long> counts,
      List<String> refs,
      List<String> moved,
      Map<String, Instant> lastSeen,
      JoinerConfig config) {
    out.println("forget: erased from every table and every snapshot");
    deletes
        .byTable()
        .forEach(
            (t, d) ->
                out.printf(
                    "  %-28s %,10d rows deleted, %,d files rewritten (%,d bytes)%n",
                    t, d.rows(), d.filesRewritten(), d.bytesRewritten()));
    out.printf(
        "  %,d tombstones recorded (salted hashes: later copies are dropped at ingest)%n",
        counts.get("tombstones_recorded"));
    out.printf(
        "  %,d snapshots expired, %,d orphan files removed%s%n",
        counts.get("expired_snapshots"),
        counts.get("orphan_files_removed"),
        refs.isEmpty() ? "" : ", branches and tags removed: " + String.join(", ", refs));
    moved.forEach(m -> out.println("  cursor " + m));
    if (lastSeen.isEmpty()) {
      return;
    }
    Map<String, TopicRetention> retention =
        TopicRetention.of(config, List.copyOf(lastSeen.keySet()), Duration.ofSeconds(10));
    out.println("Kafka still holds their messages until its retention removes them:");
    lastSeen.forEach(
        (topic, at) -> {
          TopicRetention r = retention.get(topic);
          if (r == null) {
            out.printf(
                "  %-28s last message %s; retention unknown (Kafka did not say)%n", topic, at);
          } else if (r.retention() == null) {
            out.printf(
                "  %-28s last message %s; retention.ms = -1: kept until deleted by hand%n",
                topic, at);
          } else {
            out.printf(
                "  %-28s last message %s; retention %s + segment %s: gone by %s at the latest%n",
                topic, at, r.retention(), r.segment(), r.goneBy(at));
          }
        });
    out.println(
        "  A service's logger spool holds messages only while Kafka is unreachable; delivered"
            + " segments are deleted.");
  }
}
