package dev.logwait.joiner.eval.page;

import dev.logwait.joiner.eval.figures.HealthFigures;
import dev.logwait.joiner.eval.figures.HealthFigures.LabelHealth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's join health: per label the coverage sentence, the label rate by day, the delay
 * histogram and the coverage curve; then the counts of recent runs, as a chart and a table.
 */
final class HealthPage {
  private HealthPage() {}

  static void append(StringBuilder b, HealthFigures h) {
    b.append("<h2>Join health</h2>");
    for (LabelHealth l : h.labels()) {
      b.append("<h3>label ")
          .append(Html.esc(l.label()))
          .append(" — window ")
          .append(Html.duration(l.windowSeconds()))
          .append("</h3><p class=\"big\">")
          .append(
              Double.isFinite(l.coverageAtWindow())
                  ? "Of the events matched to a prediction within "
                      + Html.duration(l.horizonSeconds())
                      + ", <b>"
                      + Html.pct(l.coverageAtWindow())
                      + "</b> arrive inside the "
                      + Html.duration(l.windowSeconds())
                      + " window; <b>"
                      + Html.pct(1 - l.coverageAtWindow())
                      + "</b> arrive later and are not counted."
                  : "No event of this label matched a finalized prediction yet.")
          .append("</p>");
      List<String> days = new ArrayList<>();
      for (HealthFigures.DayRate d : l.rateByDay()) {
        if (!days.contains(d.day())) {
          days.add(d.day());
        }
      }
      if (days.size() == 1) {
        b.append("<p class=\"note\">The table holds one day of data (")
            .append(Html.esc(days.get(0)))
            .append("): the label rate by day shows that day's rate per model, not a trend.</p>");
      }
      b.append("<div class=\"grid\">");
      Map<String, List<Svg.Point>> byModel = new LinkedHashMap<>();
      for (HealthFigures.DayRate d : l.rateByDay()) {
        byModel
            .computeIfAbsent(d.model(), k -> new ArrayList<>())
            .add(new Svg.Point(days.indexOf(d.day()), d.rate()));
      }
      List<Svg.Series> series = new ArrayList<>();
      byModel.forEach((m, pts) -> series.add(new Svg.Series(m, pts, false)));
      b.append(
          Html.figure(
              Svg.lines(
                  new Svg.LineChart(
                      "rate-" + l.label(),
                      "Label rate by day served",
                      new Svg.Axis(
                          "day of served_at", Ticks.Scale.INDEX, x -> dayTick(days, x), null),
                      Svg.Axis.of("rate"),
                      series,
                      null,
                      days.size() == 1
                          ? "one day of data (" + days.get(0) + "): a trend needs two days or more"
                          : null))));
      b.append(
          Html.figure(
              Svg.histogram(
                  "delay-" + l.label(),
                  "Delay to the first event (finalized rows)",
                  new Svg.Axis("delay", Ticks.Scale.SECONDS, Html::duration, null),
                  Svg.Axis.of("weighted rows"),
                  l.delay().stream().mapToDouble(HealthFigures.Bin::fromSeconds).toArray(),
                  l.delay().stream().mapToDouble(HealthFigures.Bin::toSeconds).toArray(),
                  l.delay().stream().mapToDouble(HealthFigures.Bin::weight).toArray())));
      List<Svg.Point> curve =
          l.coverage().stream().map(c -> new Svg.Point(c.seconds(), c.share())).toList();
      b.append(
          Html.figure(
              Svg.lines(
                  new Svg.LineChart(
                      "coverage-" + l.label(),
                      "Window coverage: share of matched events within w",
                      new Svg.Axis(
                          "w (time from serving to event)",
                          Ticks.Scale.SECONDS,
                          Html::duration,
                          null),
                      new Svg.Axis("share", Ticks.Scale.LINEAR, Html::num, new double[] {0, 1}),
                      List.of(new Svg.Series("coverage", curve, false)),
                      new Svg.Marker(
                          l.windowSeconds(), "window " + Html.duration(l.windowSeconds())),
                      null))));
      b.append("</div>");
    }
    b.append("<h3>Recent runs</h3>");
    List<Svg.Series> counts = new ArrayList<>();
    for (String k : HealthFigures.RUN_COUNTS) {
      List<Svg.Point> pts = new ArrayList<>();
      for (int i = 0; i < h.runs().size(); i++) {
        pts.add(new Svg.Point(i + 1, h.runs().get(i).counts().get(k)));
      }
      counts.add(new Svg.Series(k, pts, false));
    }
    b.append("<div class=\"grid\">")
        .append(
            Html.figure(
                Svg.lines(
                    new Svg.LineChart(
                        "runs",
                        "Counts per run (oldest first)",
                        new Svg.Axis("run", Ticks.Scale.INDEX, HealthPage::runTick, null),
                        Svg.Axis.of("count"),
                        counts,
                        null,
                        null))))
        .append("</div>");
    List<List<String>> rows = new ArrayList<>();
    for (HealthFigures.RunRow run : h.runs()) {
      List<String> row = new ArrayList<>();
      row.add(Html.esc(run.startedAt()));
      row.add(Html.esc(run.command()));
      HealthFigures.RUN_COUNTS.forEach(k -> row.add(String.format("%,d", run.counts().get(k))));
      row.add(
          run.watermarkLagMinutes() == null ? "–" : Html.duration(run.watermarkLagMinutes() * 60));
      rows.add(row);
    }
    List<String> header = new ArrayList<>(List.of("started", "command"));
    header.addAll(HealthFigures.RUN_COUNTS);
    header.add("watermark lag at finish");
    b.append(Html.table(header, rows));
  }

  private static String runTick(double x) {
    return Math.abs(x - Math.rint(x)) < 1e-9 && x >= 1 ? String.valueOf(Math.round(x)) : "";
  }

  private static String dayTick(List<String> days, double x) {
    int i = (int) Math.round(x);
    return Math.abs(x - i) < 1e-9 && i >= 0 && i < days.size() ? days.get(i) : "";
  }
}
