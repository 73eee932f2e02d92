package dev.logwait.joiner.ingest;

import dev.logwait.joiner.kafka.OffsetBounds;
import dev.logwait.joiner.kafka.Positions;
import dev.logwait.joiner.semantics.Dedup;
import dev.logwait.joiner.table.Tables;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where an ingest reads from and commits against: each raw table's snapshot (every commit is
 * checked against it) and the position committed there; each topic's partitions from the lowest
 * position of the tables its records go to. A table reads only past its own position, so a run that
 * died between two tables' commits is completed, not repeated.
 *
 * @param loss {@code "topic/partition" -> records} that fell out of Kafka's retention unread
 */
record ReadPlan(
    Map<String, Long> base,
    Positions rawPredictions,
    Positions rawLabels,
    Positions quarantine,
    Map<Integer, Long> predictionsFrom,
    Map<Integer, Long> labelsFrom,
    Map<String, Long> loss) {

  static ReadPlan of(Tables tables, Sources sources, String predTopic, String labelTopic) {
    Map<String, Long> base = new TreeMap<>();
    for (String t : new String[] {Tables.RAW_PREDICTIONS, Tables.RAW_LABELS, Tables.QUARANTINE}) {
      base.put(t, tables.snapshotId(t));
    }
    Positions preds = tables.position(Tables.RAW_PREDICTIONS, base.get(Tables.RAW_PREDICTIONS));
    Positions labels = tables.position(Tables.RAW_LABELS, base.get(Tables.RAW_LABELS));
    Positions quarantine = tables.position(Tables.QUARANTINE, base.get(Tables.QUARANTINE));
    Map<String, Long> loss = new TreeMap<>();
    return new ReadPlan(
        base,
        preds,
        labels,
        quarantine,
        start(predTopic, sources.predictionBounds(), List.of(preds, quarantine), loss),
        start(labelTopic, sources.labelBounds(), List.of(labels, quarantine), loss),
        loss);
  }

  long base(String table) {
    return base.get(table);
  }

  /** From the lowest of the positions; a position below the log's start is a retention gap. */
  private static Map<Integer, Long> start(
      String topic,
      Map<Integer, OffsetBounds> bounds,
      List<Positions> positions,
      Map<String, Long> loss) {
    Map<Integer, Long> out = new TreeMap<>();
    bounds.forEach(
        (partition, b) -> {
          Dedup.requireOrderable(topic, partition, b.latest());
          long from = Long.MAX_VALUE;
          for (Positions p : positions) {
            from = Math.min(from, p.next(topic, partition, 0L));
          }
          if (from < b.earliest()) {
            loss.put(topic + "/" + partition, b.earliest() - from);
            from = b.earliest();
          }
          out.put(partition, from);
        });
    return out;
  }
}
