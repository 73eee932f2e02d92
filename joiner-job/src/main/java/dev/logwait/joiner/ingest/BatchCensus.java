package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Everything ingest counts in a decoded batch, from one aggregation (the job that also fills the
 * batch's cache): how many messages were read, how many the quarantine takes per reason, and the
 * {@link BatchStats} of those the raw table takes.
 *
 * @param read every message of the batch
 * @param quarantine messages that did not decode (or fell outside the event-time guard) and are
 *     past the quarantine's position, by reason
 * @param taken the decoded messages past the raw table's position
 */
record BatchCensus(long read, Map<String, Long> quarantine, BatchStats taken) {

  /**
   * One job over {@code decoded}: grouped by Kafka partition, reason, and whether a message is past
   * the raw table's position ({@code pastRaw}) and the quarantine's ({@code pastQuarantine}).
   */
  static BatchCensus of(Dataset<Row> decoded, String time, Column pastRaw, Column pastQuarantine) {
    List<Row> groups =
        BatchStats.aggregated(
                decoded.groupBy(
                    col("kafka_partition"),
                    col("reason"),
                    pastRaw.as("_past_raw"),
                    pastQuarantine.as("_past_quarantine")),
                time)
            .collectAsList();
    long read = 0;
    Map<String, Long> quarantine = new LinkedHashMap<>();
    List<Row> taken = new ArrayList<>();
    for (Row g : groups) {
      long n = g.getLong(4);
      read += n;
      if (g.isNullAt(1)) {
        if (g.getBoolean(2)) {
          taken.add(g);
        }
      } else if (g.getBoolean(3)) {
        quarantine.merge(g.getString(1), n, Long::sum);
      }
    }
    return new BatchCensus(read, quarantine, BatchStats.fold(taken, 3));
  }
}
