package dev.logwait.joiner.join;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.unix_micros;

import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.config.LabelSpec;
import dev.logwait.joiner.table.Progress;
import dev.logwait.joiner.table.RowUpdates;
import dev.logwait.joiner.table.TableDdl;
import dev.logwait.joiner.table.Tables;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * docs/design.md, "Late labels", restated: for the label specs that restate ({@code restate: true},
 * or {@code restate-late-labels}), the label events appended to {@code raw_labels} since a training
 * table's last restatement are matched to the rows that table already holds; each touched row's
 * label columns are computed again from every event, and the rows whose values changed are
 * rewritten by one MERGE, with {@code revision} + 1 and {@code restated_at}, in the same branch
 * commit as the run's new rows (so both land, or neither).
 *
 * <p>Idempotent by construction: a row is rewritten only when its recomputed values differ, so a
 * rerun after a crash, or a second run, changes nothing. The {@code raw_labels} snapshot the
 * restatement read up to is recorded in the training snapshot ({@link #LABELS_SNAPSHOT}); only
 * events appended after it are looked at next time (all of them when it is missing or expired).
 */
final class Restatement {
  /** Snapshot property on training tables: the raw_labels snapshot the rows reflect. */
  static final String LABELS_SNAPSHOT = "logwait.restated-labels-snapshot";

  /** Training-table column: 0 as finalized, + 1 at each restatement. */
  static final String REVISION = "revision";

  /** Training-table column: when the row was last restated (null: never). */
  static final String RESTATED_AT = "restated_at";

  private final SparkSession spark;
  private final Tables tables;
  private final List<LabelSpec> specs;

  /**
   * What one training table's restatement will rewrite: {@code updates} (prediction id, serving
   * time and the new label columns, materialized; null when nothing changed) and the marks its
   * commit records.
   */
  record Plan(Dataset<Row> updates, long rows, List<LabelSpec> specs, Map<String, String> marks) {
    boolean any() {
      return rows > 0;
    }
  }

  Restatement(SparkSession spark, JoinerConfig config, Tables tables) {
    this.spark = spark;
    this.tables = tables;
    this.specs = config.restatedLabels();
  }

  /** The marks of a commit that reflects every event of {@code raw_labels} at that snapshot. */
  Map<String, String> marks(long labelsSnapshot) {
    return specs.isEmpty() ? Map.of() : Map.of(LABELS_SNAPSHOT, String.valueOf(labelsSnapshot));
  }

  /**
   * The rows of {@code training} (at snapshot {@code current}) that events of {@code raw_labels}
   * (up to {@code labelsSnapshot}) change.
   */
  Plan plan(String training, Snapshot current, long labelsSnapshot) {
    Map<String, String> marks = marks(labelsSnapshot);
    List<String> columns = List.of(tables.schema(training).fieldNames());
    List<LabelSpec> restated = specs.stream().filter(s -> columns.contains(s.column())).toList();
    String since = tables.summaryOf(training, current).get(LABELS_SNAPSHOT);
    if (restated.isEmpty() || String.valueOf(labelsSnapshot).equals(since)) {
      return new Plan(null, 0, restated, marks);
    }
    long started = System.nanoTime();
    Object[] names = restated.stream().map(LabelSpec::name).toArray();
    Dataset<Row> events = eventsSince(since, labelsSnapshot).filter(col("label_name").isin(names));
    Row span = events.agg(min("occurred_at"), max("occurred_at")).first();
    if (span.isNullAt(0)) {
      return new Plan(null, 0, restated, marks);
    }
    long longest = restated.stream().mapToLong(LabelSpec::windowMicros).max().orElseThrow();
    Timestamp from = new Timestamp(((Timestamp) span.get(0)).getTime() - longest / 1000);
    Timestamp to = (Timestamp) span.get(1);
    Dataset<Row> rows =
        tables.readAt(training, current.snapshotId()).filter(col("served_at").between(from, to));
    Dataset<Row> touched = touched(rows, events, restated);
    Dataset<Row> allEvents =
        tables
            .readAt(Tables.RAW_LABELS, labelsSnapshot)
            .filter(col("label_name").isin(names))
            .filter(col("occurred_at").geq(from));
    Dataset<Row> recomputed =
        TrainingRows.labelColumns(
            touched.join(
                TrainingRows.aggregates(TrainingRows.keys(touched), allEvents, restated),
                touched.col("prediction_id").equalTo(col("_p_id")),
                "left"),
            restated);
    Column changed = lit(false);
    List<Column> out = new ArrayList<>(List.of(col("prediction_id"), col("served_at")));
    for (LabelSpec s : restated) {
      for (String c : s.columns()) {
        changed = changed.or(not(col(c).eqNullSafe(col("_old_" + c))));
        out.add(col(c));
      }
    }
    out.add(lit(new Timestamp(System.currentTimeMillis())).as(RESTATED_AT));
    Dataset<Row> updates =
        RowUpdates.materialize(recomputed.filter(changed).select(out.toArray(Column[]::new)));
    long n = updates.count();
    Progress.done(started, "restatement of {}: {} rows change", tables.name(training), n);
    if (n > 0) {
      // training tables written before restatement existed
      TableDdl ddl = new TableDdl(spark, tables);
      ddl.forRowUpdates(training);
      ddl.addMissingColumns(
          training,
          new org.apache.spark.sql.types.StructType()
              .add(REVISION, "int")
              .add(RESTATED_AT, "timestamp"));
    }
    return new Plan(n == 0 ? null : updates, n, restated, marks);
  }

  /** Events appended to raw_labels after snapshot {@code since} (all of them without one). */
  private Dataset<Row> eventsSince(String since, long labelsSnapshot) {
    org.apache.iceberg.Table labels = tables.iceberg(Tables.RAW_LABELS);
    if (since != null
        && labels.snapshot(Long.parseLong(since)) != null
        && SnapshotUtil.isAncestorOf(labels, labelsSnapshot, Long.parseLong(since))) {
      return spark
          .read()
          .option("start-snapshot-id", since)
          .option("end-snapshot-id", String.valueOf(labelsSnapshot))
          .table(tables.name(Tables.RAW_LABELS));
    }
    return tables.readAt(Tables.RAW_LABELS, labelsSnapshot);
  }

  /**
   * The distinct rows (prediction id, serving time, keys, the specs' columns as {@code _old_<c>})
   * inside whose window of some spec an event falls.
   */
  private static Dataset<Row> touched(
      Dataset<Row> rows, Dataset<Row> events, List<LabelSpec> specs) {
    List<Column> keep =
        new ArrayList<>(List.of(col("prediction_id"), col("served_at"), col("entity_keys")));
    specs.forEach(s -> s.columns().forEach(c -> keep.add(col(c).as("_old_" + c))));
    Dataset<Row> narrow = rows.select(keep.toArray(Column[]::new));
    Dataset<Row> p = narrow.withColumn("_p_at", unix_micros(col("served_at"))).as("p");
    Dataset<Row> touched = null;
    for (LabelSpec s : specs) {
      Dataset<Row> e = LabelEvents.of(events, s);
      Dataset<Row> hit =
          p.join(
                  e,
                  LabelEvents.match(
                      p.col("prediction_id"), p.col("_p_at"), p.col("entity_keys"), e, s),
                  "left_semi")
              .drop("_p_at");
      touched = touched == null ? hit : touched.union(hit);
    }
    return touched.dropDuplicates("prediction_id");
  }

  /**
   * Rewrites the plan's rows in {@code branchTable} ({@code <table>.branch_<name>}), with the
   * commit's snapshot properties.
   */
  void merge(Plan plan, String branchTable, Map<String, String> snapshotProperties) {
    StringBuilder set = new StringBuilder();
    for (LabelSpec s : plan.specs()) {
      for (String c : s.columns()) {
        set.append("t.").append(c).append(" = s.").append(c).append(", ");
      }
    }
    set.append("t.")
        .append(REVISION)
        .append(" = coalesce(t.")
        .append(REVISION)
        .append(", 0) + 1, t.")
        .append(RESTATED_AT)
        .append(" = s.")
        .append(RESTATED_AT);
    RowUpdates.merge(
        plan.updates(),
        branchTable,
        "ON t.prediction_id = s.prediction_id AND t.served_at = s.served_at"
            + " WHEN MATCHED THEN UPDATE SET "
            + set,
        snapshotProperties);
  }
}
