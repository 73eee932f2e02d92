package dev.logwait.joiner.eval.page;

import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Charts as inline SVG, drawn here so that the report needs no script and no network: line charts
 * and histograms here, charts of one row per item in {@link SvgRows}. Every chart is an {@code <svg
 * class="chart">} whose data are drawn as {@code path}, {@code rect} or {@code circle} elements
 * with class {@code datum}.
 */
final class Svg {
  static final String[] PALETTE = {
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"
  };
  static final int W = 560;
  static final int H = 260;
  static final int LEFT = 62;
  static final int RIGHT = 34;
  static final int TOP = 28;
  static final int BOTTOM = 42;

  record Point(double x, double y) {}

  record Series(String name, List<Point> points, boolean dashed) {}

  /** A vertical line at {@code x}, labelled. */
  record Marker(double x, String label) {}

  private Svg() {}

  /**
   * An axis: its title, how its ticks are chosen, how a tick is written, and optionally a fixed
   * range (else the data's).
   */
  record Axis(String title, Ticks.Scale scale, DoubleFunction<String> format, double[] range) {
    static Axis of(String title) {
      return new Axis(title, Ticks.Scale.LINEAR, Html::num, null);
    }
  }

  /**
   * A line chart.
   *
   * @param marker a vertical line, or null
   * @param note a line of text under the title that says what the reader should know, or null
   */
  record LineChart(
      String id, String title, Axis x, Axis y, List<Series> series, Marker marker, String note) {}

  static String lines(LineChart chart) {
    List<Series> series = chart.series();
    Marker marker = chart.marker();
    double x0 = Double.MAX_VALUE;
    double x1 = -Double.MAX_VALUE;
    double y0 = Double.MAX_VALUE;
    double y1 = -Double.MAX_VALUE;
    for (Series s : series) {
      for (Point p : s.points()) {
        if (!Double.isFinite(p.y())) {
          continue;
        }
        x0 = Math.min(x0, p.x());
        x1 = Math.max(x1, p.x());
        y0 = Math.min(y0, p.y());
        y1 = Math.max(y1, p.y());
      }
    }
    if (x0 > x1) {
      return empty(chart.id(), chart.title(), chart.note() != null ? chart.note() : "no data yet");
    }
    if (marker != null) {
      x1 = Math.max(x1, marker.x());
    }
    if (chart.x().range() != null) {
      x0 = chart.x().range()[0];
      x1 = chart.x().range()[1];
    }
    if (chart.y().range() != null) {
      y0 = chart.y().range()[0];
      y1 = chart.y().range()[1];
    } else {
      // counts and rates are read against zero
      y0 = Math.min(0, y0);
    }
    Frame f =
        new Frame(chart.x().scale().ticks(x0, x1), chart.y().scale().ticks(y0, y1), H - BOTTOM);
    StringBuilder b = open(chart.id(), chart.title());
    note(b, chart.note());
    f.axes(b, chart.x(), chart.y());
    int c = 0;
    for (Series s : series) {
      String color = PALETTE[c++ % PALETTE.length];
      StringBuilder d = new StringBuilder();
      for (Point p : s.points()) {
        if (Double.isFinite(p.y())) {
          d.append(d.length() == 0 ? "M" : " L").append(f.x(p.x())).append(',').append(f.y(p.y()));
        }
      }
      b.append("<path class=\"datum\" fill=\"none\" stroke=\"")
          .append(color)
          .append("\" stroke-width=\"2\"")
          .append(s.dashed() ? " stroke-dasharray=\"5,4\"" : "")
          .append(" d=\"")
          .append(d)
          .append("\"><title>")
          .append(Html.esc(s.name()))
          .append("</title></path>");
      if (s.points().size() <= 40) {
        for (Point p : s.points()) {
          if (Double.isFinite(p.y())) {
            b.append(
                String.format(
                    Locale.ROOT,
                    "<circle class=\"datum\" cx=\"%s\" cy=\"%s\" r=\"3\" fill=\"%s\"><title>%s: %s</title></circle>",
                    f.x(p.x()),
                    f.y(p.y()),
                    color,
                    Html.esc(s.name()),
                    Html.num(p.y())));
          }
        }
      }
    }
    if (marker != null) {
      double mx = f.x(marker.x());
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%s\" x2=\"%s\" y1=\"%d\" y2=\"%d\" stroke=\"#444\" stroke-dasharray=\"3,3\"/>"
                  + "<text x=\"%s\" y=\"%d\" font-size=\"11\">%s</text>",
              mx,
              mx,
              TOP,
              H - BOTTOM,
              mx + 4,
              H - BOTTOM - 6,
              Html.esc(marker.label())));
    }
    legend(b, series.stream().map(Series::name).toList(), chart.note() == null ? 0 : 14);
    return close(b);
  }

  /** Adjacent bars over bins {@code [from, to)}, as a histogram. */
  static String histogram(
      String id, String title, Axis x, Axis y, double[] from, double[] to, double[] value) {
    double max = 0;
    for (double v : value) {
      max = Math.max(max, v);
    }
    if (from.length == 0 || max == 0) {
      return empty(id, title, "no data yet");
    }
    Frame f =
        new Frame(x.scale().ticks(from[0], to[to.length - 1]), y.scale().ticks(0, max), H - BOTTOM);
    StringBuilder b = open(id, title);
    f.axes(b, x, y);
    for (int i = 0; i < value.length; i++) {
      double left = f.x(from[i]);
      double w = Math.max(1, f.x(to[i]) - left - 1);
      double top = f.y(value[i]);
      b.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"datum\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"><title>%s–%s: %s</title></rect>",
              r(left),
              r(top),
              r(w),
              r(H - BOTTOM - top),
              PALETTE[0],
              x.format().apply(from[i]),
              x.format().apply(to[i]),
              Html.num(value[i])));
    }
    return close(b);
  }

  static String shorten(String s) {
    return s.length() <= 30 ? s : s.substring(0, 29) + "…";
  }

  static String r(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static StringBuilder open(String id, String title) {
    return open(id, title, H);
  }

  static StringBuilder open(String id, String title, int h) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "<svg class=\"chart\" data-chart=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">"
                + "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"600\">%s</text>",
            Html.esc(id),
            W,
            h,
            W,
            h,
            Html.esc(title),
            LEFT,
            Html.esc(title)));
    return b;
  }

  static String close(StringBuilder b) {
    return b.append("</svg>").toString();
  }

  /** A chart with nothing to draw says so (class {@code chart empty}: no data element). */
  static String empty(String id, String title, String why) {
    return String.format(
        Locale.ROOT,
        "<svg class=\"chart empty\" data-chart=\"%s\" width=\"%d\" height=\"60\">"
            + "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"600\">%s</text>"
            + "<text x=\"%d\" y=\"40\" font-size=\"12\" fill=\"#888\">%s</text></svg>",
        Html.esc(id),
        W,
        LEFT,
        Html.esc(title),
        LEFT,
        Html.esc(why));
  }

  private static void legend(StringBuilder b, List<String> names, int below) {
    int x = LEFT + 8;
    int y = TOP + 10 + below;
    for (int i = 0; i < names.size() && names.size() > 1; i++) {
      b.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>",
              x,
              y + i * 14 - 4,
              PALETTE[i % PALETTE.length],
              x + 14,
              y + i * 14,
              Html.esc(names.get(i))));
    }
  }

  /** A note in the chart, under its title (grey, like the reason of an empty chart). */
  static void note(StringBuilder b, String note) {
    if (note != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "<text class=\"note\" x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#666\">%s</text>",
              LEFT + 8,
              TOP + 12,
              Html.esc(note)));
    }
  }

  /** Maps data to the plot area (the ticks' span) and draws the axes at the ticks. */
  record Frame(Ticks xs, Ticks ys, int bottom) {
    double x(double v) {
      return Math.round((LEFT + xs.fraction(v) * (W - LEFT - RIGHT)) * 10) / 10.0;
    }

    double y(double v) {
      return Math.round((bottom - ys.fraction(v) * (bottom - TOP)) * 10) / 10.0;
    }

    void axes(StringBuilder b, Axis xAxis, Axis yAxis) {
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
                  + "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
              LEFT,
              W - RIGHT,
              bottom,
              bottom,
              LEFT,
              LEFT,
              TOP,
              bottom));
      for (double xv : xs.values()) {
        b.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%s\" x2=\"%s\" y1=\"%d\" y2=\"%d\" stroke=\"#eee\"/>"
                    + "<text x=\"%s\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>",
                x(xv),
                x(xv),
                TOP,
                bottom - 1,
                x(xv),
                bottom + 14,
                Html.esc(xAxis.format().apply(xv))));
      }
      for (double yv : ys.values()) {
        b.append(
            String.format(
                Locale.ROOT,
                "<line x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%s\" font-size=\"10\" text-anchor=\"end\">%s</text>",
                LEFT + 1,
                W - RIGHT,
                y(yv),
                y(yv),
                LEFT - 4,
                y(yv) + 3,
                Html.esc(yAxis.format().apply(yv))));
      }
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>"
                  + "<text x=\"12\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 %d)\">%s</text>",
              (LEFT + W - RIGHT) / 2,
              bottom + 36,
              Html.esc(xAxis.title()),
              (TOP + bottom) / 2,
              (TOP + bottom) / 2,
              Html.esc(yAxis.title())));
    }
  }
}
