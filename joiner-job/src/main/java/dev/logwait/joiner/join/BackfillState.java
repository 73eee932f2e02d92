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
 * @param doneThrough serving times below this are written
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
    @JsonProperty("done_through") long doneThrough) {
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
        featureSet, configHash, chunk, from, to, watermark, rawPredictions, rawLabels, end);
  }

  /** How arguments given now (null: not given) differ from this state's, for the refusal. */
  List<String> differences(String set, String hash, long chunkNow, Long fromNow, Long toNow) {
    List<String> out = new ArrayList<>();
    differ(out, "feature set", featureSet, set);
    differ(out, "configuration", configHash, hash);
    differ(out, "chunk", chunk, chunkNow);
    if (fromNow != null) {
      differ(out, "from", from, fromNow);
    }
    if (toNow != null) {
      differ(out, "to", to, toNow);
    }
    return out;
  }

  private static void differ(List<String> out, String what, Object was, Object now) {
    if (!Objects.equals(was, now)) {
      out.add(what + " (was " + was + ", now " + now + ")");
    }
  }
}
