package dev.logwait.joiner.eval;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.eval.figures.ComparisonFigures.Calibration;
import dev.logwait.joiner.eval.figures.ComparisonFigures.Difference;
import dev.logwait.joiner.eval.figures.ComparisonFigures.LabelComparison;
import dev.logwait.joiner.eval.figures.ComparisonFigures.Variant;
import dev.logwait.joiner.eval.figures.Interval;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One label's A/B figures from its sums by variant (plain Java): the weighted mean (a rate for a
 * binary label) with its interval; where {@code prediction} is a score in [0, 1] and the label
 * binary, log loss, AUC and a calibration table; for a numeric label, the error of {@code
 * prediction}. Each variant is compared with a baseline.
 */
final class Comparison {
  static final int SCORE_BINS = VariantSums.SCORE_BINS;
  static final String METHOD = Intervals.METHOD;

  private Comparison() {}

  /**
   * @param byVariant the label's sums by {@code model/version}, in the order to show them
   * @param baseline the variant others are compared with ({@code model/version}, or a model with
   *     one version); null: the one with the most weight
   */
  static LabelComparison of(String label, Map<String, VariantSums> byVariant, String baseline) {
    boolean binary = byVariant.values().stream().allMatch(x -> x.wNonBinary == 0);
    boolean scored = byVariant.values().stream().allMatch(x -> x.wUnscored == 0);
    List<Variant> variants = new ArrayList<>();
    Map<String, Estimators.Moments> moments = new LinkedHashMap<>();
    for (Map.Entry<String, VariantSums> e : byVariant.entrySet()) {
      VariantSums x = e.getValue();
      Estimators.Moments m = new Estimators.Moments(x.w, x.w2, x.wy, x.wy2);
      moments.put(e.getKey(), m);
      boolean probabilities = binary && scored && x.w > 0;
      variants.add(
          new Variant(
              e.getKey(),
              x.n,
              x.w,
              m.effectiveRows(),
              binary ? Intervals.rate(m) : Intervals.mean(m),
              Intervals.tooSmall(m, binary),
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
          Estimators.Moments a = moments.get(base);
          Estimators.Moments b = e.getValue();
          Interval d = binary ? Intervals.rateDifference(a, b) : Intervals.meanDifference(a, b);
          boolean tooSmall = Intervals.tooSmall(a, binary) || Intervals.tooSmall(b, binary);
          diffs.add(
              new Difference(
                  base,
                  e.getKey(),
                  d,
                  tooSmall,
                  // no significance is claimed for a group too small to judge
                  tooSmall ? null : d.low() > 0 || d.high() < 0));
        }
      }
    }
    return new LabelComparison(label, binary, scored, base, variants, diffs);
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
        .max(Comparator.comparingDouble(e -> e.getValue().sumW()))
        .get()
        .getKey();
  }

  private static double auc(VariantSums x) {
    double[] pos = new double[SCORE_BINS];
    double[] neg = new double[SCORE_BINS];
    for (int b = 0; b < SCORE_BINS; b++) {
      pos[b] = x.binWy[b];
      neg[b] = x.binW[b] - x.binWy[b];
    }
    return Estimators.auc(pos, neg);
  }

  /** Score bins grouped into deciles of weight: mean predicted score vs observed rate. */
  private static List<Calibration> calibration(VariantSums x) {
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
