package dev.logwait.joiner.retrain;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.config.LabelSpec;
import dev.logwait.joiner.table.Tables;
import dev.logwait.joiner.trainer.Cursor;
import dev.logwait.joiner.trainer.TrainingData;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Evaluates the retraining conditions of one training table from its evidence: the newest {@code
 * drift} rows, the label columns' weighted means in the current and reference windows, and each
 * trainer's unread rows. The rules are {@link Conditions}; this class only reads.
 */
public final class RetrainCheck {
  /** The drift table as {@code report} writes it. */
  static final String DRIFT = "drift";

  private final SparkSession spark;
  private final JoinerConfig config;
  private final Tables tables;
  private final Thresholds thresholds;

  public RetrainCheck(SparkSession spark, JoinerConfig config, Tables tables) {
    this.spark = spark;
    this.config = config;
    this.tables = tables;
    this.thresholds = Thresholds.of(config);
  }

  /**
   * @param table the training table (null: the only one)
   * @param trainer a trainer's name, {@code all} or null (the configuration's {@code
   *     retrain.trainer})
   */
  public Decision check(String table, String trainer) {
    Instant now = Instant.now();
    TrainingData data = new TrainingData(spark, config);
    String training = data.training(table);
    String who = trainer != null ? trainer : config.get(ConfigKey.RETRAIN_TRAINER);
    List<String> trainers = new ArrayList<>();
    if (who.equals("all")) {
      for (Cursor c : data.current()) {
        if (c.table().equals(training)) {
          trainers.add(c.trainer());
        }
      }
    } else {
      trainers.add(who);
    }
    Conditions.DriftReport drift = newestDrift(training);
    List<LabelFigures> labels = labelFigures(training);
    List<Condition> out = new ArrayList<>();
    if (trainers.isEmpty()) {
      // nobody reads the table yet: the data conditions still tell whether a first model is due
      out.add(Conditions.drift(null, drift, null, thresholds));
      for (LabelFigures l : labels) {
        out.add(
            Conditions.labelRate(null, l.label(), l.current(), l.reference(), true, thresholds));
      }
      out.add(
          new Condition(
              Conditions.NEW_ROWS,
              null,
              false,
              Double.NaN,
              thresholds.minNewRows(),
              "no trainer has a cursor on "
                  + training
                  + " (set retrain.trainer or --trainer to count a new trainer's first read)"));
    }
    for (String t : trainers) {
      TrainingData.Batch batch = data.since(t, training);
      long unread = batch.empty() ? 0 : batch.rows().count();
      Instant trainedAt = lastTrained(data, t, training);
      out.add(Conditions.drift(t, drift, trainedAt, thresholds));
      for (LabelFigures l : labels) {
        out.add(
            Conditions.labelRate(t, l.label(), l.current(), l.reference(), unread > 0, thresholds));
      }
      out.add(Conditions.newRows(t, unread, batch.fromSnapshotExclusive() == null, thresholds));
    }
    return new Decision(UUID.randomUUID().toString(), now, training, List.copyOf(out));
  }

  private static Instant lastTrained(TrainingData data, String trainer, String training) {
    Instant at = null;
    for (Cursor c : data.history()) {
      if (c.trainer().equals(trainer) && c.table().equals(training) && c.trained()) {
        at = c.committedAt();
      }
    }
    return at;
  }

  /** The newest report's rows for {@code training}, or null. */
  private Conditions.DriftReport newestDrift(String training) {
    if (!tables.exists(DRIFT)) {
      return null;
    }
    Dataset<Row> rows =
        spark.table(tables.name(DRIFT)).filter(col("training_table").equalTo(training));
    Row newest =
        rows.select("report_id", "computed_at").orderBy(col("computed_at").desc()).limit(1).first();
    if (newest == null) {
      return null;
    }
    List<Conditions.FeatureDrift> features = new ArrayList<>();
    for (Row r :
        rows.filter(col("report_id").equalTo(newest.getString(0)))
            .select("model_name", "feature", "psi")
            .collectAsList()) {
      features.add(
          new Conditions.FeatureDrift(
              r.getString(0), r.getString(1), r.isNullAt(2) ? Double.NaN : r.getDouble(2)));
    }
    return new Conditions.DriftReport(
        newest.getString(0), newest.getTimestamp(1).toInstant(), features);
  }

  /** A label column's figures in both windows. */
  record LabelFigures(
      String label, Conditions.LabelWindow current, Conditions.LabelWindow reference) {}

  /**
   * Every label column's weighted sums in the current window (ending at the newest {@code
   * served_at}) and the reference window before it, in one aggregation.
   */
  private List<LabelFigures> labelFigures(String training) {
    Dataset<Row> t = spark.table(tables.name(training));
    List<String> columns = List.of(t.columns());
    List<LabelSpec> specs =
        config.labels().stream().filter(s -> columns.contains(s.column())).toList();
    Row newest = t.agg(max(col("served_at"))).first();
    if (specs.isEmpty() || newest.isNullAt(0)) {
      return List.of();
    }
    Instant end = newest.getTimestamp(0).toInstant().plusNanos(1000);
    Instant currentFrom = end.minus(thresholds.currentWindow());
    Instant referenceFrom = currentFrom.minus(thresholds.referenceWindow());
    Column cur = col("served_at").geq(lit(Timestamp.from(currentFrom)));
    Dataset<Row> rows =
        t.filter(
            col("served_at")
                .geq(lit(Timestamp.from(referenceFrom)))
                .and(col("served_at").lt(lit(Timestamp.from(end)))));
    List<Column> aggs = new ArrayList<>();
    for (LabelSpec s : specs) {
      Column x = col(s.column()).cast("double");
      for (Column in : new Column[] {cur, cur.unary_$bang()}) {
        Column use = in.and(x.isNotNull());
        aggs.add(sum(when(use, col("weight"))));
        aggs.add(sum(when(use, col("weight").multiply(x))));
        aggs.add(sum(when(use, col("weight").multiply(x).multiply(x))));
        aggs.add(count(when(use, lit(1))));
      }
    }
    Row sums = rows.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    List<LabelFigures> out = new ArrayList<>();
    int at = 0;
    for (LabelSpec s : specs) {
      Conditions.LabelWindow[] w = new Conditions.LabelWindow[2];
      for (int k = 0; k < 2; k++) {
        w[k] =
            Conditions.LabelWindow.ofSums(
                d(sums, at), d(sums, at + 1), d(sums, at + 2), sums.getLong(at + 3));
        at += 4;
      }
      out.add(new LabelFigures(s.column(), w[0], w[1]));
    }
    return out;
  }

  private static double d(Row r, int i) {
    return r.isNullAt(i) ? 0 : ((Number) r.get(i)).doubleValue();
  }
}
