package dev.logwait.joiner.eval.page;

import dev.logwait.joiner.eval.figures.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/** Inline SVG charts of one row per item: horizontal bars and interval (forest) plots. */
final class SvgRows {
  private SvgRows() {}

  /** One horizontal bar per name; optional dashed thresholds. */
  static String bars(
      String id, String title, List<String> names, double[] values, double... lines) {
    if (names.isEmpty()) {
      return Svg.empty(id, title, "nothing to show");
    }
    int rowH = 18;
    int left = 190;
    int h = Svg.TOP + names.size() * rowH + Svg.BOTTOM;
    double max = 0;
    for (double v : values) {
      max = Math.max(max, Double.isFinite(v) ? v : 0);
    }
    for (double l : lines) {
      max = Math.max(max, l * 1.1);
    }
    Ticks ticks = Ticks.of(0, max);
    StringBuilder b = Svg.open(id, title, h);
    double span = Svg.W - left - Svg.RIGHT;
    DoubleFunction<Double> x = v -> left + ticks.fraction(v) * span;
    axis(b, ticks, x, h);
    for (int i = 0; i < names.size(); i++) {
      double v = Double.isFinite(values[i]) ? values[i] : 0;
      int y = Svg.TOP + i * rowH;
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>"
                  + "<rect class=\"datum\" x=\"%d\" y=\"%d\" width=\"%s\" height=\"%d\" fill=\"%s\"><title>%s: %s</title></rect>",
              left - 6,
              y + 12,
              Html.esc(Svg.shorten(names.get(i))),
              left,
              y + 2,
              Svg.r(Math.max(1, x.apply(v) - left)),
              rowH - 4,
              Svg.PALETTE[0],
              Html.esc(names.get(i)),
              Html.num(values[i])));
    }
    for (double l : lines) {
      // thresholds are labelled above the rows: the axis's tick labels are below them
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%s\" x2=\"%s\" y1=\"%d\" y2=\"%d\" stroke=\"#d62728\" stroke-dasharray=\"4,3\"/>"
                  + "<text x=\"%s\" y=\"%d\" font-size=\"9\" fill=\"#d62728\" text-anchor=\"middle\">%s</text>",
              Svg.r(x.apply(l)),
              Svg.r(x.apply(l)),
              Svg.TOP,
              h - Svg.BOTTOM,
              Svg.r(x.apply(l)),
              Svg.TOP - 2,
              Html.num(l)));
    }
    return Svg.close(b);
  }

  /** Estimates with their intervals, one row each (a forest plot); optional reference line. */
  static String intervals(
      String id, String title, List<String> names, List<Interval> values, Double reference) {
    List<Interval> finite = new ArrayList<>();
    double lo = reference == null ? Double.MAX_VALUE : reference;
    double hi = reference == null ? -Double.MAX_VALUE : reference;
    for (Interval i : values) {
      for (double v : new double[] {i.estimate(), i.low(), i.high()}) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
      finite.add(i);
    }
    if (names.isEmpty() || lo > hi) {
      return Svg.empty(id, title, "nothing to show");
    }
    Ticks ticks = Ticks.of(lo, hi);
    int rowH = 24;
    int left = 190;
    int h = Svg.TOP + names.size() * rowH + Svg.BOTTOM;
    StringBuilder b = Svg.open(id, title, h);
    DoubleFunction<Double> x = v -> left + ticks.fraction(v) * (Svg.W - left - Svg.RIGHT);
    axis(b, ticks, x, h);
    if (reference != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%s\" x2=\"%s\" y1=\"%d\" y2=\"%d\" stroke=\"#444\" stroke-dasharray=\"3,3\"/>",
              Svg.r(x.apply(reference)),
              Svg.r(x.apply(reference)),
              Svg.TOP,
              h - Svg.BOTTOM));
    }
    for (int i = 0; i < names.size(); i++) {
      Interval v = finite.get(i);
      int y = Svg.TOP + i * rowH + rowH / 2;
      String color = Svg.PALETTE[i % Svg.PALETTE.length];
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>",
              left - 6,
              y + 4,
              Html.esc(Svg.shorten(names.get(i)))));
      if (Double.isFinite(v.low()) && Double.isFinite(v.high())) {
        b.append(
            String.format(
                Locale.ROOT,
                "<line class=\"datum\" x1=\"%s\" x2=\"%s\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"/>",
                Svg.r(x.apply(v.low())),
                Svg.r(x.apply(v.high())),
                y,
                y,
                color));
      }
      if (Double.isFinite(v.estimate())) {
        b.append(
            String.format(
                Locale.ROOT,
                "<circle class=\"datum\" cx=\"%s\" cy=\"%d\" r=\"4\" fill=\"%s\"><title>%s: %s [%s, %s]</title></circle>",
                Svg.r(x.apply(v.estimate())),
                y,
                color,
                Html.esc(names.get(i)),
                Html.num(v.estimate()),
                Html.num(v.low()),
                Html.num(v.high())));
      }
    }
    return Svg.close(b);
  }

  /** Vertical grid lines at the ticks, labelled below the rows. */
  private static void axis(StringBuilder b, Ticks ticks, DoubleFunction<Double> x, int h) {
    for (double v : ticks.values()) {
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%s\" x2=\"%s\" y1=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
                  + "<text x=\"%s\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>",
              Svg.r(x.apply(v)),
              Svg.r(x.apply(v)),
              Svg.TOP,
              h - Svg.BOTTOM,
              Svg.r(x.apply(v)),
              h - Svg.BOTTOM + 14,
              Html.num(v)));
    }
  }
}
