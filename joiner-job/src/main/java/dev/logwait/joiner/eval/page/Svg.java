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
  private static final int H = 260;
  private static final int LEFT = 62;
  static final int RIGHT = 34;
  static final int TOP = 28;
  static final int BOTTOM = 42;

  record Point(double x, double y) {}

  record Series(String name, List<Point> points, boolean dashed) {}

  /** A vertical line at {@code x}, labelled. */
  record Marker(double x, String label) {}

  private Svg() {}

  static String lines(
      String id,
      String title,
      String xLabel,
      String yLabel,
      List<Series> series,
      Marker marker,
      DoubleFunction<String> xTick,
      double[] yRange) {
    double x0 = Double.MAX_VALUE;
    double x1 = -Double.MAX_VALUE;
    double y0 = yRange == null ? Double.MAX_VALUE : yRange[0];
    double y1 = yRange == null ? -Double.MAX_VALUE : yRange[1];
    for (Series s : series) {
      for (Point p : s.points()) {
        if (!Double.isFinite(p.y())) {
          continue;
        }
        x0 = Math.min(x0, p.x());
        x1 = Math.max(x1, p.x());
        if (yRange == null) {
          y0 = Math.min(y0, p.y());
          y1 = Math.max(y1, p.y());
        }
      }
    }
    if (x0 > x1) {
      return empty(id, title, "no data yet");
    }
    if (marker != null) {
      x1 = Math.max(x1, marker.x());
    }
    Frame f = new Frame(x0, x1 == x0 ? x0 + 1 : x1, Math.min(0, y0), y1 <= y0 ? y0 + 1 : y1);
    StringBuilder b = open(id, title);
    f.axes(b, xLabel, yLabel, xTick);
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
    legend(b, series.stream().map(Series::name).toList());
    return close(b);
  }

  /** Adjacent bars over bins {@code [from, to)}, as a histogram. */
  static String histogram(
      String id,
      String title,
      String xLabel,
      String yLabel,
      double[] from,
      double[] to,
      double[] value,
      DoubleFunction<String> xTick) {
    double max = 0;
    for (double v : value) {
      max = Math.max(max, v);
    }
    if (from.length == 0 || max == 0) {
      return empty(id, title, "no data yet");
    }
    Frame f = new Frame(from[0], to[to.length - 1], 0, max);
    StringBuilder b = open(id, title);
    f.axes(b, xLabel, yLabel, xTick);
    for (int i = 0; i < value.length; i++) {
      double x = f.x(from[i]);
      double w = Math.max(1, f.x(to[i]) - x - 1);
      double y = f.y(value[i]);
      b.append(
          String.format(
              Locale.ROOT,
              "<rect class=\"datum\" x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"><title>%s–%s: %s</title></rect>",
              r(x),
              r(y),
              r(w),
              r(H - BOTTOM - y),
              PALETTE[0],
              xTick.apply(from[i]),
              xTick.apply(to[i]),
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

  private static void legend(StringBuilder b, List<String> names) {
    int x = LEFT + 8;
    int y = TOP + 10;
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

  /** Maps data to the plot area and draws the axes with five ticks each. */
  private record Frame(double x0, double x1, double y0, double y1) {
    double x(double v) {
      return Math.round((LEFT + (v - x0) / (x1 - x0) * (W - LEFT - RIGHT)) * 10) / 10.0;
    }

    double y(double v) {
      return Math.round((H - BOTTOM - (v - y0) / (y1 - y0) * (H - TOP - BOTTOM)) * 10) / 10.0;
    }

    void axes(StringBuilder b, String xLabel, String yLabel, DoubleFunction<String> xTick) {
      b.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>"
                  + "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
              LEFT,
              W - RIGHT,
              H - BOTTOM,
              H - BOTTOM,
              LEFT,
              LEFT,
              TOP,
              H - BOTTOM));
      for (int t = 0; t <= 4; t++) {
        double xv = x0 + (x1 - x0) * t / 4;
        double yv = y0 + (y1 - y0) * t / 4;
        b.append(
            String.format(
                Locale.ROOT,
                "<text x=\"%s\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>"
                    + "<line x1=\"%d\" x2=\"%d\" y1=\"%s\" y2=\"%s\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%s\" font-size=\"10\" text-anchor=\"end\">%s</text>",
                x(xv),
                H - BOTTOM + 14,
                Html.esc(xTick.apply(xv)),
                LEFT + 1,
                W - RIGHT,
                y(yv),
                y(yv),
                LEFT - 4,
                y(yv) + 3,
                Html.num(yv)));
      }
      b.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>"
                  + "<text x=\"12\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 12 %d)\">%s</text>",
              (LEFT + W - RIGHT) / 2,
              H - 6,
              Html.esc(xLabel),
              (TOP + H - BOTTOM) / 2,
              (TOP + H - BOTTOM) / 2,
              Html.esc(yLabel)));
    }
  }
}
