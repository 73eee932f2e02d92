package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

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

  /** One topic's decoded batch, as {@link #of(List)} counts it. */
  record Part(Dataset<Row> decoded, String time, Column pastRaw, Column pastQuarantine) {}

  /**
   * One job over {@code decoded}: grouped by Kafka partition, reason, and whether a message is past
   * the raw table's position ({@code pastRaw}) and the quarantine's ({@code pastQuarantine}).
   */
  static BatchCensus of(Dataset<Row> decoded, String time, Column pastRaw, Column pastQuarantine) {
    return of(List.of(new Part(decoded, time, pastRaw, pastQuarantine))).get(0);
  }

  /**
   * The census of several topics' batches from one job (their projections unioned, the groups told
   * apart by the batch's index), in the order given.
   */
  static List<BatchCensus> of(List<Part> parts) {
    Dataset<Row> all = null;
    for (int i = 0; i < parts.size(); i++) {
      Part p = parts.get(i);
      Dataset<Row> one =
          p.decoded()
              .select(
                  lit(i).as("_part"),
                  col("kafka_partition"),
                  col("reason"),
                  p.pastRaw().as("_past_raw"),
                  p.pastQuarantine().as("_past_quarantine"),
                  col(p.time()).as("_time"),
                  col("kafka_timestamp"));
      all = all == null ? one : all.union(one);
    }
    List<List<Row>> byPart = new ArrayList<>();
    parts.forEach(p -> byPart.add(new ArrayList<>()));
    for (Row g :
        BatchStats.aggregated(
                all.groupBy(
                    col("_part"),
                    col("kafka_partition"),
                    col("reason"),
                    col("_past_raw"),
                    col("_past_quarantine")),
                "_time")
            .collectAsList()) {
      byPart.get(g.getInt(0)).add(g);
    }
    List<BatchCensus> out = new ArrayList<>();
    for (List<Row> groups : byPart) {
      out.add(fold(groups));
    }
    return out;
  }

  /** Groups with {@code _part} first, then the columns of the single-batch grouping. */
  private static BatchCensus fold(List<Row> groups) {
    long read = 0;
    Map<String, Long> quarantine = new LinkedHashMap<>();
    List<Row> taken = new ArrayList<>();
    for (Row g : groups) {
      long n = g.getLong(5);
      read += n;
      if (g.isNullAt(2)) {
        if (g.getBoolean(3)) {
          taken.add(g);
        }
      } else if (g.getBoolean(4)) {
        quarantine.merge(g.getString(2), n, Long::sum);
      }
    }
    return new BatchCensus(read, quarantine, BatchStats.fold(taken, 4, 1));
  }
}
