package dev.logwait.joiner.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.logwait.joiner.semantics.Dedup;
import dev.logwait.joiner.table.TombstoneCheck;
import dev.logwait.joiner.table.Tombstones;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The rows of a batch that a raw table takes: none whose key logwait deleted on purpose ({@link
 * Tombstones}: deleted stays deleted), then the first copy of each key not already in the table
 * ({@link Dedup}). Both raw tables' sets of rows to leave out are found by one job, collected to
 * the driver (they are small: duplicates and tombstoned copies), and left out by a broadcast
 * anti-join.
 *
 * @param dropped rows dropped because their key was deleted, by the deletion's reason
 */
record NewRows(Dataset<Row> rows, Map<String, Long> dropped) {

  /**
   * One raw table's batch.
   *
   * @param tombstones the tombstones that can match the batch, or null when none can
   * @param existing the table the rows go to
   */
  record Input(
      Dataset<Row> good,
      String key,
      String time,
      BatchStats stats,
      TombstoneCheck tombstones,
      Dataset<Row> existing) {}

  /** What each input's table takes, in the order given. */
  static List<NewRows> of(List<Input> inputs) {
    Dataset<Row> all = null;
    for (int i = 0; i < inputs.size(); i++) {
      Dataset<Row> d = leftOut(i, inputs.get(i));
      all = all == null ? d : all.union(d);
    }
    List<Row> found = all.limit(Dedup.LOCAL_MAX_ROWS + 1).collectAsList();
    if (found.size() > Dedup.LOCAL_MAX_ROWS) {
      // a large replay: each table's set stays in Spark
      List<NewRows> out = new ArrayList<>();
      for (Input in : inputs) {
        out.add(large(in));
      }
      return out;
    }
    List<NewRows> out = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      Set<Row> coordinates = new HashSet<>();
      Map<String, Long> dropped = new TreeMap<>();
      for (Row r : found) {
        if (r.getInt(0) == i) {
          coordinates.add(RowFactory.create(r.getInt(1), r.getLong(2)));
          if (!r.isNullAt(3)) {
            dropped.merge(r.getString(3), 1L, Long::sum);
          }
        }
      }
      out.add(
          new NewRows(
              Dedup.withoutCollected(inputs.get(i).good(), new ArrayList<>(coordinates)), dropped));
    }
    return out;
  }

  /**
   * The coordinates of input {@code i}'s rows to leave out ({@code _i, _p, _o, reason}): copies of
   * deleted keys (with the deletion's reason, once per row) and duplicates (reason null).
   */
  private static Dataset<Row> leftOut(int i, Input in) {
    Dataset<Row> d =
        Dedup.dropSet(
                in.good(),
                in.key(),
                in.time(),
                in.stats().earliest(),
                in.stats().latest(),
                in.existing())
            .select(lit(i).as("_i"), col("_p"), col("_o"), lit(null).cast("string").as("reason"));
    if (in.tombstones() != null) {
      d =
          d.union(
              in.tombstones()
                  .matches(in.good())
                  .select(lit(i).as("_i"), col("_p"), col("_o"), col("reason")));
    }
    return d;
  }

  /** As {@link #of}, for one input whose set is too large for the driver. */
  private static NewRows large(Input in) {
    Map<String, Long> dropped = new TreeMap<>();
    Dataset<Row> live = in.good();
    if (in.tombstones() != null) {
      Dataset<Row> matches = in.tombstones().matches(in.good());
      for (Row r : matches.groupBy("reason").count().collectAsList()) {
        dropped.put(r.getString(0), r.getLong(1));
      }
      live = Dedup.withoutCoordinates(live, matches.select(col("_p"), col("_o")));
    }
    return new NewRows(
        Dedup.firstNewCopies(
            live, in.key(), in.time(), in.stats().earliest(), in.stats().latest(), in.existing()),
        dropped);
  }
}
