package dev.logwait.joiner.cli;

import dev.logwait.joiner.eval.figures.Interval;
import dev.logwait.joiner.eval.figures.RouterFigures;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The routers' section of {@code status}: per router what was published and when, per arm a row.
 */
final class RouterLines {
  private RouterLines() {}

  static List<String> of(List<RouterFigures> routers) {
    List<String> out = new ArrayList<>();
    if (routers.isEmpty()) {
      return out;
    }
    out.add("routers (" + routers.get(0).method() + "):");
    for (RouterFigures r : routers) {
      out.add(
          "  "
              + r.router()
              + ": "
              + r.table()
              + ", arm "
              + r.armColumn()
              + ", reward "
              + r.reward()
              + " ("
              + r.rewardKind()
              + ("binary".equals(r.rewardKind())
                  ? ", prior Beta(" + num(r.priorAlpha()) + ", " + num(r.priorBeta()) + ")"
                  : "")
              + (r.halfLifeSeconds() == null ? "" : ", half-life " + age(r.halfLifeSeconds()))
              + ")");
      if (r.stateSnapshot() != null) {
        out.add(
            "    statistics of training snapshot "
                + r.stateSnapshot()
                + (r.labelWatermark() == null
                    ? ""
                    : " (labels final through " + r.labelWatermark() + ")")
                + ", committed "
                + r.committedAt());
      }
      out.add(
          r.publishedAt() == null
              ? "    published: no message read"
              : "    published "
                  + r.publishedAt()
                  + ", "
                  + age(r.stalenessSeconds())
                  + " ago (staleness), of training snapshot "
                  + r.publishedSnapshot());
      r.notes().forEach(n -> out.add("    note: " + n));
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"arm", "rows", "Σw", "mean", "95% interval", "P(best)", "waiting"});
      for (RouterFigures.Arm a : r.arms()) {
        Interval p = a.posterior();
        rows.add(
            new String[] {
              a.arm(),
              String.format(Locale.ROOT, "%,d", a.rows()),
              num(a.weight()),
              num(p.estimate()),
              Double.isFinite(p.low()) ? "[" + num(p.low()) + ", " + num(p.high()) + "]" : "–",
              Double.isFinite(a.probabilityBest())
                  ? String.format(Locale.ROOT, "%.1f%%", 100 * a.probabilityBest())
                  : "–",
              String.format(Locale.ROOT, "%,d", a.waiting())
            });
      }
      out.addAll(aligned(rows, "    "));
    }
    return out;
  }

  /** Names to the left, figures to the right. */
  private static List<String> aligned(List<String[]> rows, String indent) {
    int[] w = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length; i++) {
        w[i] = Math.max(w[i], r[i].length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String[] r : rows) {
      StringBuilder b = new StringBuilder(indent);
      for (int i = 0; i < r.length; i++) {
        b.append(String.format("%" + (i == 0 ? "-" : "") + w[i] + "s  ", r[i]));
      }
      out.add(b.toString().stripTrailing());
    }
    return out;
  }

  /** Four significant digits; "–" where there is no number. */
  static String num(double v) {
    if (!Double.isFinite(v)) {
      return "–";
    }
    return Math.abs(v) >= 10_000
        ? String.format(Locale.ROOT, "%,.0f", v)
        : new java.math.BigDecimal(v)
            .round(new java.math.MathContext(4))
            .stripTrailingZeros()
            .toPlainString();
  }

  /** A duration in seconds, in the largest unit that keeps it readable. */
  static String age(double seconds) {
    if (seconds < 120) {
      return String.format(Locale.ROOT, "%.0f s", seconds);
    }
    if (seconds < 2 * 3600) {
      return String.format(Locale.ROOT, "%.0f min", seconds / 60);
    }
    if (seconds < 2 * 86400) {
      return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
    }
    return String.format(Locale.ROOT, "%.1f d", seconds / 86400);
  }
}
