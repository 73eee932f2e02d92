package dev.logwait.joiner.eval;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.LabelSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per model and version (the A/B view), for every label: the weighted mean (a rate for a binary
 * label) with its interval; where {@code prediction} is a score in [0, 1] and the label binary, log
 * loss, AUC and a calibration table; for a numeric label, the error of {@code prediction}. Each
 * variant is compared with a baseline. One Spark aggregation for all labels: sums by model, version
 * and score bin (1,000 bins), from which everything else is computed here.
 */
final class ComparisonSection {
  static final int SCORE_BINS = 1000;
  static final double EPS = 1e-15;
  static final String METHOD =
      "normal approximation: mean ± 1.96·sqrt(weighted variance / effective sample size),"
          + " effective sample size (Σw)²/Σw²; differences assume independent samples";

  record Calibration(int decile, double meanPredicted, double observed, double weight) {}

  record Variant(
      String variant,
      long rows,
      double weightedRows,
      Interval mean,
      Double logLoss,
      Double auc,
      Double meanAbsoluteError,
      Double rootMeanSquaredError,
      List<Calibration> calibration) {}

  record Difference(String baseline, String variant, Interval difference) {}

  record LabelComparison(
      String label,
      boolean binary,
      boolean scored,
      String baseline,
      List<Variant> variants,
      List<Difference> differences) {}

  record Figures(String method, List<LabelComparison> labels) {}

  private ComparisonSection() {}

  /** Sums of one label over one variant (across its score bins). */
  private static final class Sums {
    long n;
    double w;
    double w2;
    double wy;
    double wy2;
    double wNonBinary;
    double wLogLoss;
    double wAbs;
    double wSq;
    double wUnscored;
    final double[] binW = new double[SCORE_BINS];
    final double[] binWy = new double[SCORE_BINS];
    final double[] binWp = new double[SCORE_BINS];
  }

  static Figures compute(Dataset<Row> training, List<LabelSpec> specs, String baseline) {
    Column s = col("weight");
    Column p = col("prediction");
    Column scored = p.isNotNull().and(p.geq(0)).and(p.leq(1));
    Column clamped = least(greatest(p, lit(EPS)), lit(1 - EPS));
    List<Column> aggs = new ArrayList<>();
    aggs.add(sum(s).as("w"));
    aggs.add(sum(s.multiply(s)).as("w2"));
    for (int i = 0; i < specs.size(); i++) {
      Column y = col(specs.get(i).column());
      Column known = y.isNotNull();
      Column ws = when(known, s).otherwise(0.0);
      aggs.add(count(y).as("n" + i));
      aggs.add(sum(ws).as("w" + i));
      aggs.add(sum(ws.multiply(s)).as("ww" + i));
      aggs.add(sum(when(known, s.multiply(coalesce(p, lit(0.0))))).as("wp" + i));
      aggs.add(sum(when(known, s.multiply(y))).as("wy" + i));
      aggs.add(sum(when(known, s.multiply(y).multiply(y))).as("wyy" + i));
      aggs.add(sum(when(known.and(y.notEqual(0.0)).and(y.notEqual(1.0)), s)).as("nb" + i));
      Column ll =
          y.multiply(log(clamped)).plus(lit(1.0).minus(y).multiply(log(lit(1.0).minus(clamped))));
      aggs.add(sum(when(known.and(scored), s.multiply(ll).multiply(-1.0))).as("ll" + i));
      aggs.add(sum(when(known.and(p.isNotNull()), s.multiply(abs(p.minus(y))))).as("ae" + i));
      Column d = p.minus(y);
      aggs.add(sum(when(known.and(p.isNotNull()), s.multiply(d).multiply(d))).as("se" + i));
    }
    Column bin =
        when(scored, least(floor(p.multiply(SCORE_BINS)), lit(SCORE_BINS - 1))).otherwise(-1);
    List<Row> rows =
        training
            .groupBy(col("model_name"), col("model_version"), bin.as("bin"))
            .agg(count(lit(1)).as("n"), aggs.toArray(Column[]::new))
            .collectAsList();
    List<LabelComparison> out = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      out.add(label(rows, specs.get(i).name(), i, baseline));
    }
    return new Figures(METHOD, out);
  }

  private static LabelComparison label(List<Row> rows, String label, int i, String baseline) {
    Map<String, Sums> byVariant = new java.util.TreeMap<>();
    for (Row r : rows) {
      String v = r.getAs("model_name") + "/" + r.getAs("model_version");
      Sums x = byVariant.computeIfAbsent(v, k -> new Sums());
      x.n += r.getLong(r.fieldIndex("n" + i));
      x.w += r.getDouble(r.fieldIndex("w" + i));
      x.w2 += r.getDouble(r.fieldIndex("ww" + i));
      x.wy += num(r, "wy" + i);
      x.wy2 += num(r, "wyy" + i);
      x.wNonBinary += num(r, "nb" + i);
      x.wLogLoss += num(r, "ll" + i);
      x.wAbs += num(r, "ae" + i);
      x.wSq += num(r, "se" + i);
      long b = ((Number) r.getAs("bin")).longValue();
      if (b < 0) {
        x.wUnscored += r.getDouble(r.fieldIndex("w" + i));
      } else {
        x.binW[(int) b] += r.getDouble(r.fieldIndex("w" + i));
        x.binWy[(int) b] += num(r, "wy" + i);
        x.binWp[(int) b] += num(r, "wp" + i);
      }
    }
    boolean binary = byVariant.values().stream().allMatch(x -> x.wNonBinary == 0);
    boolean scored = byVariant.values().stream().allMatch(x -> x.wUnscored == 0);
    List<Variant> variants = new ArrayList<>();
    Map<String, Estimators.Moments> moments = new LinkedHashMap<>();
    for (Map.Entry<String, Sums> e : byVariant.entrySet()) {
      Sums x = e.getValue();
      Estimators.Moments m = new Estimators.Moments(x.w, x.w2, x.wy, x.wy2);
      moments.put(e.getKey(), m);
      boolean probabilities = binary && scored && x.w > 0;
      variants.add(
          new Variant(
              e.getKey(),
              x.n,
              x.w,
              m.meanInterval(),
              probabilities ? x.wLogLoss / x.w : null,
              probabilities ? auc(x) : null,
              !binary && x.w > 0 ? x.wAbs / x.w : null,
              !binary && x.w > 0 ? Math.sqrt(x.wSq / x.w) : null,
              probabilities ? calibration(x) : List.of()));
    }
    String base = baseline(moments, baseline);
    List<Difference> diffs = new ArrayList<>();
    if (base != null) {
      for (Map.Entry<String, Estimators.Moments> e : moments.entrySet()) {
        if (!e.getKey().equals(base)) {
          diffs.add(
              new Difference(
                  base, e.getKey(), Estimators.difference(moments.get(base), e.getValue())));
        }
      }
    }
    return new LabelComparison(label, binary, scored, base, variants, diffs);
  }

  private static double num(Row r, String field) {
    Object v = r.getAs(field);
    return v == null ? 0 : ((Number) v).doubleValue();
  }

  /** The named variant ({@code model/version}, or a model with one version), else the largest. */
  private static String baseline(Map<String, Estimators.Moments> moments, String wanted) {
    if (moments.isEmpty()) {
      return null;
    }
    if (wanted != null) {
      List<String> matches =
          moments.keySet().stream()
              .filter(v -> v.equals(wanted) || v.startsWith(wanted + "/"))
              .toList();
      if (matches.size() != 1) {
        throw new ConfigException(
            "--baseline "
                + wanted
                + (matches.isEmpty() ? " is not among " : " names more than one of ")
                + moments.keySet()
                + " (give model/version)");
      }
      return matches.get(0);
    }
    return moments.entrySet().stream()
        .max(java.util.Comparator.comparingDouble(e -> e.getValue().sumW()))
        .get()
        .getKey();
  }

  private static double auc(Sums x) {
    double[] pos = new double[SCORE_BINS];
    double[] neg = new double[SCORE_BINS];
    for (int b = 0; b < SCORE_BINS; b++) {
      pos[b] = x.binWy[b];
      neg[b] = x.binW[b] - x.binWy[b];
    }
    return Estimators.auc(pos, neg);
  }

  /** Score bins grouped into deciles of weight: mean predicted score vs observed rate. */
  private static List<Calibration> calibration(Sums x) {
    double total = 0;
    for (double w : x.binW) {
      total += w;
    }
    double[] w = new double[10];
    double[] wp = new double[10];
    double[] wy = new double[10];
    double before = 0;
    for (int b = 0; b < SCORE_BINS; b++) {
      if (x.binW[b] == 0) {
        continue;
      }
      int decile = (int) Math.min(9, Math.floor((before + x.binW[b] / 2) / total * 10));
      w[decile] += x.binW[b];
      wp[decile] += x.binWp[b];
      wy[decile] += x.binWy[b];
      before += x.binW[b];
    }
    List<Calibration> out = new ArrayList<>();
    for (int d = 0; d < 10; d++) {
      if (w[d] > 0) {
        out.add(new Calibration(d + 1, wp[d] / w[d], wy[d] / w[d], w[d]));
      }
    }
    return out;
  }
}
