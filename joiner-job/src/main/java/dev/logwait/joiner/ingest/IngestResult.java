package dev.logwait.joiner.ingest;

import dev.logwait.joiner.kafka.OffsetBounds;
import dev.logwait.joiner.kafka.Positions;
import dev.logwait.joiner.table.Tombstones;
import java.sql.Timestamp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What an ingest did. The rows it appended stay cached for the rest of the run (a join reads the
 * batch it just ingested from memory); {@link #release()} frees them.
 *
 * @param predictionPositions raw_predictions' complete position after this ingest
 * @param labelPositions raw_labels' complete position after this ingest
 * @param dataLoss {@code "topic/partition" -> records} skipped with {@code --accept-data-loss}
 * @param newPredictions rows appended to raw_predictions on top of snapshot {@code rawBase}, or
 *     null
 * @param rawHead raw_predictions' snapshot after this ingest (its base plus the new rows)
 * @param newLabels label events appended to raw_labels, or null
 * @param labelBounds the labels topic's partitions (read once per run)
 */
public record IngestResult(
    Counts counts,
    Positions predictionPositions,
    Positions labelPositions,
    Map<String, Long> dataLoss,
    List<String> schemaProblems,
    Dataset<Row> newPredictions,
    long rawBase,
    long rawHead,
    NewLabels newLabels,
    Map<Integer, OffsetBounds> labelBounds,
    Runnable onRelease) {

  /**
   * What was read, written and dropped.
   *
   * @param labelsDropped label events dropped because they are about an erased person, by reason
   * @param predictionsDropped predictions dropped because logwait had deleted them on purpose, by
   *     the deletion's reason (a copy that arrived after {@code discard}: {@code discarded}; after
   *     {@code forget}: {@code erased})
   */
  public record Counts(
      long eventTimeOutOfRange,
      long quarantined,
      long labelsRead,
      long labelsWritten,
      Map<String, Long> labelsDropped,
      long predictionsRead,
      long predictionsWritten,
      Map<String, Long> predictionsDropped) {
    /** As recorded in {@code runs.counts}. */
    public Map<String, Long> asMap() {
      Map<String, Long> m = new LinkedHashMap<>();
      m.put("event_time_out_of_range", eventTimeOutOfRange);
      m.put("quarantined", quarantined);
      m.put("labels_read", labelsRead);
      m.put("labels_written", labelsWritten);
      m.put("label_duplicates_dropped", labelsRead - labelsWritten - sum(labelsDropped));
      m.put("labels_dropped_" + Tombstones.ERASED, 0L);
      labelsDropped.forEach((reason, n) -> m.put("labels_dropped_" + reason, n));
      m.put("predictions_read", predictionsRead);
      m.put("predictions_written", predictionsWritten);
      m.put(
          "prediction_duplicates_dropped",
          predictionsRead - predictionsWritten - sum(predictionsDropped));
      m.put("predictions_dropped_" + Tombstones.DISCARDED, 0L);
      m.put("predictions_dropped_" + Tombstones.ERASED, 0L);
      predictionsDropped.forEach((reason, n) -> m.put("predictions_dropped_" + reason, n));
      return m;
    }

    private static long sum(Map<String, Long> counts) {
      return counts.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Label events this ingest wrote, with their event-time range and the label progress committed
   * before them (what late and orphan labels are judged against).
   */
  public record NewLabels(
      Dataset<Row> rows,
      Timestamp earliest,
      Timestamp latest,
      Map<String, Long> previousProgress) {}

  /** Frees the cached batch. */
  public void release() {
    onRelease.run();
  }
}
