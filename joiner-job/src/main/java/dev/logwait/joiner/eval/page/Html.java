package dev.logwait.joiner.eval.page;

import dev.logwait.joiner.eval.figures.Interval;
import java.util.List;
import java.util.Locale;

/** Escaping and number formats of the report page, and its tables. */
final class Html {
  private Html() {}

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** Four significant digits, thousands separated; "–" for a missing value. */
  static String num(double v) {
    if (!Double.isFinite(v)) {
      return "–";
    }
    double a = Math.abs(v);
    if (a >= 10_000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    if (a == 0 || a >= 0.001) {
      return new java.math.BigDecimal(v)
          .round(new java.math.MathContext(4))
          .stripTrailingZeros()
          .toPlainString();
    }
    return String.format(Locale.ROOT, "%.2e", v);
  }

  static String num(Double v) {
    return v == null ? "–" : num(v.doubleValue());
  }

  static String pct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f%%", v * 100) : "–";
  }

  /** {@code estimate [low, high]}. */
  static String interval(Interval i) {
    return i == null ? "–" : num(i.estimate()) + " [" + num(i.low()) + ", " + num(i.high()) + "]";
  }

  /**
   * A duration in seconds as s, min, h or d; a whole number of the next larger unit in that unit
   * (an axis's ticks read 0s, 1h, 2h, 3h rather than 0s, 60m, 2.0h).
   */
  static String duration(double seconds) {
    if (seconds < 120) {
      return whole(seconds, 60, "m", String.format(Locale.ROOT, "%.0fs", seconds));
    }
    if (seconds < 2 * 3600) {
      double minutes = seconds / 60;
      return whole(
          seconds,
          3600,
          "h",
          String.format(
              Locale.ROOT,
              Math.abs(minutes - Math.rint(minutes)) < 0.05 ? "%.0fm" : "%.1fm",
              minutes));
    }
    if (seconds < 2 * 86400) {
      return whole(seconds, 86400, "d", oneDecimal(seconds / 3600) + "h");
    }
    return oneDecimal(seconds / 86400) + "d";
  }

  private static String whole(double seconds, long unit, String suffix, String otherwise) {
    return seconds >= unit && seconds % unit == 0 ? (long) seconds / unit + suffix : otherwise;
  }

  /** One decimal, none where it would be 0 (2h, not 2.0h: ticks fall on whole units). */
  private static String oneDecimal(double v) {
    return String.format(Locale.ROOT, Math.abs(v - Math.rint(v)) < 0.05 ? "%.0f" : "%.1f", v);
  }

  /** A table: a header row and rows of already-escaped cells. */
  static String table(List<String> header, List<List<String>> rows) {
    StringBuilder b = new StringBuilder("<table><thead><tr>");
    header.forEach(h -> b.append("<th>").append(esc(h)).append("</th>"));
    b.append("</tr></thead><tbody>");
    for (List<String> r : rows) {
      b.append("<tr>");
      r.forEach(c -> b.append("<td>").append(c).append("</td>"));
      b.append("</tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  /** One chart in a frame of its own. */
  static String figure(String svg) {
    return "<figure>" + svg + "</figure>";
  }

  static final String STYLE =
      "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px auto;"
          + "max-width:1200px;color:#222;padding:0 16px}"
          + "h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;"
          + "margin-top:32px}h3{font-size:15px;margin-bottom:4px}"
          + ".grid{display:flex;flex-wrap:wrap;gap:12px}"
          + "figure{margin:0;border:1px solid #eee;padding:6px;background:#fff}"
          + "table{border-collapse:collapse;font-size:13px;margin:8px 0}"
          + "td,th{border:1px solid #ddd;padding:3px 8px;text-align:right}"
          + "th{background:#f5f5f5}td:first-child,th:first-child{text-align:left}"
          + ".note{color:#555;font-size:13px}.warn{color:#b00}.big{font-size:15px}";
}
