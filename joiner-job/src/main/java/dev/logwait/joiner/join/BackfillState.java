package dev.logwait.joiner.join;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a backfill records in every snapshot it commits ({@link Backfill#STATE}, as JSON): its
 * arguments, what it pinned (the label watermark, the raw tables' snapshots) and how far it got.
 * All times in microseconds.
 *
 * @param from the range's start: {@code --from}, or the earliest stored prediction
 * @param to the range's end: {@code --to}, capped at what the label watermark finalized
 * @param doneThrough serving times below this are written
 * @param asked the range as given on the command line (null in states written before it was kept)
 * @param pinnedAt set when an erasure moved the pins to its own snapshots: rows ingested after this
 *     time (micros) were not in the snapshots first pinned, and are left out (null: no such move)
 */
record BackfillState(
    @JsonProperty("feature_set") String featureSet,
    @JsonProperty("config") String configHash,
    @JsonProperty("chunk") long chunk,
    @JsonProperty("from") long from,
    @JsonProperty("to") long to,
    @JsonProperty("watermark") long watermark,
    @JsonProperty("raw_predictions") long rawPredictions,
    @JsonProperty("raw_labels") long rawLabels,
    @JsonProperty("done_through") long doneThrough,
    @JsonProperty("asked") Asked asked,
    @JsonProperty("pinned_at") Long pinnedAt) {
  /** {@code --from} and {@code --to} as given (null: not given). */
  record Asked(@JsonProperty("from") Long from, @JsonProperty("to") Long to) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static BackfillState of(String json) {
    try {
      return MAPPER.readValue(json, BackfillState.class);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read backfill state " + json, e);
    }
  }

  String json() {
    try {
      return MAPPER.writeValueAsString(this);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  BackfillState doneThrough(long end) {
    return new BackfillState(
        featureSet,
        configHash,
        chunk,
        from,
        to,
        watermark,
        rawPredictions,
        rawLabels,
        end,
        asked,
        pinnedAt);
  }

  /**
   * This state with its pins moved to other raw snapshots (an erasure's), reading only what was
   * ingested by {@code at} (micros), the time of the snapshots first pinned.
   */
  BackfillState repinned(long predictions, long labels, long at) {
    return new BackfillState(
        featureSet,
        configHash,
        chunk,
        from,
        to,
        watermark,
        predictions,
        labels,
        doneThrough,
        asked,
        pinnedAt == null ? at : pinnedAt);
  }

  /**
   * How arguments given now (null: not given) differ from the ones this backfill was started with,
   * for the refusal. The range is compared as it was asked for, not as the watermark capped it, so
   * the same command always continues.
   */
  List<String> differences(String set, String hash, long chunkNow, Long fromNow, Long toNow) {
    List<String> out = new ArrayList<>();
    differ(out, "feature set", featureSet, set);
    differ(out, "configuration", configHash, hash);
    if (chunk != chunkNow) {
      out.add(
          "--chunk (was "
              + java.time.Duration.ofNanos(chunk * 1000)
              + ", now "
              + java.time.Duration.ofNanos(chunkNow * 1000)
              + ")");
    }
    if (asked != null) {
      // not given now: continue with what it was started with
      if (fromNow != null) {
        differ(out, "--from", time(asked.from()), time(fromNow));
      }
      if (toNow != null) {
        differ(out, "--to", time(asked.to()), time(toNow));
      }
    } else {
      // a state from before the range as given was kept: compare with what it recorded; any --to
      // at or past the capped end asked for the same range
      if (fromNow != null && fromNow != from) {
        out.add("--from (was " + time(from) + ", now " + time(fromNow) + ")");
      }
      if (toNow != null && toNow < to) {
        out.add("--to (was " + time(to) + ", now " + time(toNow) + ")");
      }
    }
    return out;
  }

  /** Microseconds as ISO-8601, or "not given". */
  static String time(Long micros) {
    return micros == null
        ? "not given"
        : java.time.Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS).toString();
  }

  private static void differ(List<String> out, String what, Object was, Object now) {
    if (!Objects.equals(was, now)) {
      out.add(what + " (was " + was + ", now " + now + ")");
    }
  }
}
