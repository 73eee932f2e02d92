package dev.logwait.joiner.eval;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.logwait.joiner.eval.figures.DriftFigures;
import dev.logwait.joiner.eval.figures.DriftFigures.FeatureDrift;
import dev.logwait.schema.LogwaitSchemas;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;

/**
 * Drift per feature and model: the latest finalized rows (the last {@code current} period before
 * the newest {@code served_at}) against a reference window (the {@code reference} period before
 * that), by the population stability index. Numeric features: bins at the reference's deciles;
 * strings and booleans: categories (the reference's 20 most frequent, the rest as one); vectors:
 * their Euclidean norm as a numeric feature; maps: skipped. A missing value is a bin of its own, so
 * a feature that appears or disappears shows as drift.
 */
final class DriftSection {
  static final int MAX_CATEGORIES = 20;

  /** Columns of a training table that the joiner adds beside the envelope and the labels. */
  static final Set<String> SYSTEM_COLUMNS =
      Set.of("weight", "feature_set_version", "revision", "restated_at", "finalized_at");

  private DriftSection() {}

  static DriftFigures compute(Dataset<Row> training, Duration current, Duration reference) {
    Row newest = training.agg(max(col("served_at"))).first();
    if (newest.isNullAt(0)) {
      return new DriftFigures(null, null, null, null, List.of(), List.of());
    }
    Instant end = newest.getTimestamp(0).toInstant().plusNanos(1000);
    Instant currentFrom = end.minus(current);
    Instant referenceFrom = currentFrom.minus(reference);
    Dataset<Row> rows =
        training
            .filter(
                col("served_at")
                    .geq(lit(Timestamp.from(referenceFrom)))
                    .and(col("served_at").lt(lit(Timestamp.from(end)))))
            .withColumn("_cur", col("served_at").geq(lit(Timestamp.from(currentFrom))))
            .cache();
    try {
      List<String> skipped = new ArrayList<>();
      List<String[]> features = features(rows, skipped); // {name, kind, expression}
      List<String> models =
          rows.select("model_name")
              .distinct()
              .orderBy("model_name")
              .as(org.apache.spark.sql.Encoders.STRING())
              .collectAsList();
      List<FeatureDrift> out = new ArrayList<>();
      for (String model : models) {
        out.addAll(ofModel(rows.filter(col("model_name").eqNullSafe(model)), model, features));
      }
      out.sort(
          Comparator.comparingDouble((FeatureDrift d) -> Double.isNaN(d.psi()) ? -1 : d.psi())
              .reversed());
      return new DriftFigures(
          referenceFrom.toString(),
          currentFrom.toString(),
          currentFrom.toString(),
          end.toString(),
          out,
          skipped);
    } finally {
      rows.unpersist();
    }
  }

  /** The feature columns: everything but the envelope, weights and label columns. */
  private static List<String[]> features(Dataset<Row> rows, List<String> skipped) {
    Set<String> envelope = Set.copyOf(LogwaitSchemas.envelopeFieldNames());
    List<String[]> out = new ArrayList<>();
    for (StructField f : rows.schema().fields()) {
      String n = f.name();
      if (envelope.contains(n)
          || n.startsWith("label_")
          || n.startsWith("_")
          || SYSTEM_COLUMNS.contains(n)) {
        continue;
      }
      DataType t = f.dataType();
      String quoted = "`" + n.replace("`", "``") + "`";
      if (t instanceof NumericType) {
        out.add(new String[] {n, "numeric", "CAST(" + quoted + " AS DOUBLE)"});
      } else if (t instanceof StringType || t instanceof BooleanType) {
        out.add(new String[] {n, "categorical", quoted});
      } else if (t instanceof ArrayType a && a.elementType() instanceof NumericType) {
        out.add(
            new String[] {
              n + " (norm)",
              "vector norm",
              "sqrt(aggregate(" + quoted + ", 0D, (acc, v) -> acc + CAST(v AS DOUBLE) * v))"
            });
      } else {
        skipped.add(n + " (" + t.simpleString() + ")");
      }
    }
    return out;
  }

  /**
   * Every feature of one model in three passes over its rows: the reference's deciles of every
   * numeric feature at once, each categorical feature's top categories, then one aggregation of
   * every feature's bins in both periods.
   */
  private static List<FeatureDrift> ofModel(
      Dataset<Row> rows, String model, List<String[]> features) {
    List<String> numeric = new ArrayList<>();
    List<Column> values = new ArrayList<>(List.of(col("_cur"), col("weight")));
    for (int k = 0; k < features.size(); k++) {
      String[] f = features.get(k);
      if (f[1].equals("categorical")) {
        values.add(expr(f[2]).cast("string").as("_v" + k));
      } else {
        values.add(expr(f[2]).as("_v" + k));
        numeric.add("_v" + k);
      }
    }
    Dataset<Row> v = rows.select(values.toArray(Column[]::new));
    Dataset<Row> reference = v.filter(not(col("_cur")));
    double[][] quantiles =
        numeric.isEmpty()
            ? new double[0][]
            : reference
                .stat()
                .approxQuantile(
                    numeric.toArray(String[]::new),
                    new double[] {.1, .2, .3, .4, .5, .6, .7, .8, .9},
                    0.001);
    List<List<String>> labels = new ArrayList<>();
    List<Column> bins = new ArrayList<>();
    for (int k = 0; k < features.size(); k++) {
      Column x = col("_v" + k);
      List<String> l = new ArrayList<>(List.of("missing"));
      Column bin;
      if (features.get(k)[1].equals("categorical")) {
        List<String> top =
            reference
                .filter(x.isNotNull())
                .groupBy(x)
                .agg(sum("weight").as("_w"))
                .orderBy(col("_w").desc())
                .limit(MAX_CATEGORIES)
                .select(x)
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList();
        bin = when(x.isin(top.toArray()), concat(lit("="), x)).otherwise(lit("other"));
        top.forEach(c -> l.add("=" + c));
        l.add("other");
      } else {
        double[] cuts =
            Arrays.stream(quantiles[numeric.indexOf("_v" + k)]).distinct().sorted().toArray();
        Column index = lit(0);
        for (double c : cuts) {
          index = index.plus(when(x.gt(c), 1).otherwise(0));
        }
        bin = index.cast("string");
        for (int b = 0; b <= cuts.length; b++) {
          l.add(String.valueOf(b));
        }
      }
      bins.add(when(x.isNull(), lit("missing")).otherwise(bin));
      labels.add(l);
    }
    List<Column> binned = new ArrayList<>(List.of(col("_cur"), col("weight")));
    for (int k = 0; k < features.size(); k++) {
      binned.add(bins.get(k).as("_b" + k));
    }
    List<Column> aggs = new ArrayList<>();
    for (int k = 0; k < features.size(); k++) {
      for (String label : labels.get(k)) {
        Column in = col("_b" + k).equalTo(label);
        aggs.add(coalesce(sum(when(in.and(not(col("_cur"))), col("weight"))), lit(0.0)));
        aggs.add(coalesce(sum(when(in.and(col("_cur")), col("weight"))), lit(0.0)));
      }
    }
    Row sums =
        v.select(binned.toArray(Column[]::new))
            .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new))
            .first();
    List<FeatureDrift> out = new ArrayList<>();
    int at = 0;
    for (int k = 0; k < features.size(); k++) {
      int n = labels.get(k).size();
      double[] ref = new double[n];
      double[] now = new double[n];
      for (int b = 0; b < n; b++) {
        ref[b] = sums.getDouble(at++);
        now[b] = sums.getDouble(at++);
      }
      out.add(
          new FeatureDrift(
              model,
              features.get(k)[0],
              features.get(k)[1],
              Estimators.psi(ref, now),
              Arrays.stream(ref).sum(),
              Arrays.stream(now).sum()));
    }
    return out;
  }
}
