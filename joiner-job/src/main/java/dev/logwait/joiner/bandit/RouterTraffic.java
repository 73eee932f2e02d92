package dev.logwait.joiner.bandit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.logwait.joiner.config.RouterSpec;
import dev.logwait.joiner.table.Tables;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A router's traffic by day of {@code served_at} (UTC) and arm: its predictions that are finalized
 * (the training table at a snapshot) and those still open ({@link OpenPredictions}), whatever their
 * reward, counted and weighted by 1 / sample_rate.
 */
public final class RouterTraffic {
  private RouterTraffic() {}

  /** One arm on one day. */
  public record Day(String day, String arm, long predictions, double weight) {}

  /** Ordered by day, then arm. */
  public static List<Day> byDay(Tables tables, RouterSpec r, long trainingSnapshot) {
    Dataset<Row> finalized =
        tables
            .readAt(r.table(), trainingSnapshot)
            .filter(RouterRows.chosen(r))
            .select(col("served_at"), RouterRows.arm(r).as("arm"), col("weight"));
    Dataset<Row> open =
        OpenPredictions.of(tables, r, trainingSnapshot)
            .select(col("served_at"), col("arm"), col("weight"));
    List<Day> out = new ArrayList<>();
    for (Row d :
        finalized
            .unionByName(open)
            .groupBy(date_format(col("served_at"), "yyyy-MM-dd").as("day"), col("arm"))
            .agg(count(lit(1)), sum(col("weight")))
            .orderBy("day", "arm")
            .collectAsList()) {
      out.add(new Day(d.getString(0), d.getString(1), d.getLong(2), d.getDouble(3)));
    }
    return out;
  }
}
