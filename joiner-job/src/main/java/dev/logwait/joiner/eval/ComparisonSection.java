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

import dev.logwait.joiner.config.LabelSpec;
import dev.logwait.joiner.eval.figures.ComparisonFigures;
import dev.logwait.joiner.eval.figures.ComparisonFigures.LabelComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per model and version (the A/B view), for every label: one Spark aggregation for all labels, sums
 * by model, version and score bin ({@value VariantSums#SCORE_BINS} bins), from which {@link
 * Comparison} computes the figures.
 */
final class ComparisonSection {
  static final double EPS = 1e-15;

  private ComparisonSection() {}

  static ComparisonFigures compute(Dataset<Row> training, List<LabelSpec> specs, String baseline) {
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
        when(
                scored,
                least(floor(p.multiply(VariantSums.SCORE_BINS)), lit(VariantSums.SCORE_BINS - 1)))
            .otherwise(-1);
    List<Row> rows =
        training
            .groupBy(col("model_name"), col("model_version"), bin.as("bin"))
            .agg(count(lit(1)).as("n"), aggs.toArray(Column[]::new))
            .collectAsList();
    List<LabelComparison> out = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      out.add(label(rows, specs.get(i).name(), i, baseline));
    }
    return new ComparisonFigures(Comparison.METHOD, out);
  }

  /** Reads one label's sums by variant from the aggregated rows (one per variant and bin). */
  private static LabelComparison label(List<Row> rows, String label, int i, String baseline) {
    Map<String, VariantSums> byVariant = new TreeMap<>();
    for (Row r : rows) {
      String v = r.getAs("model_name") + "/" + r.getAs("model_version");
      VariantSums x = byVariant.computeIfAbsent(v, k -> new VariantSums());
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
    return Comparison.of(label, byVariant, baseline);
  }

  private static double num(Row r, String field) {
    Object v = r.getAs(field);
    return v == null ? 0 : ((Number) v).doubleValue();
  }
}
