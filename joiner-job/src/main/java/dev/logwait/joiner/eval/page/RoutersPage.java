package dev.logwait.joiner.eval.page;

import dev.logwait.joiner.eval.figures.Interval;
import dev.logwait.joiner.eval.figures.RouterFigures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's bandit routers: per router what was published and when, per arm the posterior mean
 * with its interval, the probability of being best and the predictions waiting (a table and a
 * forest plot), and each arm's share of the router's traffic by day.
 */
final class RoutersPage {
  private RoutersPage() {}

  static void append(StringBuilder b, List<RouterFigures> routers) {
    if (routers.isEmpty()) {
      return;
    }
    b.append("<h2>Bandit routers</h2><p class=\"note\">")
        .append(Html.esc(routers.get(0).method()))
        .append(".</p>");
    for (RouterFigures r : routers) {
      router(b, r);
    }
  }

  private static void router(StringBuilder b, RouterFigures r) {
    b.append("<h3>router ")
        .append(Html.esc(r.router()))
        .append(" — arm ")
        .append(Html.esc(r.armColumn()))
        .append(", reward ")
        .append(Html.esc(r.reward()))
        .append(" (")
        .append(Html.esc(r.rewardKind()))
        .append(")</h3><p class=\"note\">")
        .append(
            r.stateSnapshot() == null
                ? "No statistics yet."
                : "Statistics of training snapshot "
                    + r.stateSnapshot()
                    + (r.labelWatermark() == null
                        ? ""
                        : ", labels final through " + Html.esc(r.labelWatermark()))
                    + ", committed "
                    + Html.esc(r.committedAt())
                    + ".")
        .append(
            r.publishedAt() == null
                ? " No published message was read."
                : " Published "
                    + Html.esc(r.publishedAt())
                    + " ("
                    + Html.duration(r.stalenessSeconds())
                    + " before this report), of training snapshot "
                    + r.publishedSnapshot()
                    + ".")
        .append(
            "binary".equals(r.rewardKind())
                ? " Prior Beta(" + Html.num(r.priorAlpha()) + ", " + Html.num(r.priorBeta()) + ")."
                : "")
        .append(
            r.halfLifeSeconds() == null
                ? ""
                : " Weights halve every "
                    + Html.duration(r.halfLifeSeconds())
                    + " of serving time.")
        .append("</p>");
    for (String n : r.notes()) {
      b.append("<p class=\"note warn\">").append(Html.esc(n)).append("</p>");
    }
    List<List<String>> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Interval> values = new ArrayList<>();
    for (RouterFigures.Arm a : r.arms()) {
      rows.add(
          List.of(
              Html.esc(a.arm()),
              String.format("%,d", a.rows()),
              Html.num(a.weight()),
              Html.interval(a.posterior()),
              Html.pct(a.probabilityBest()),
              String.format("%,d", a.waiting())));
      names.add(a.arm());
      values.add(a.posterior());
    }
    b.append(
        Html.table(
            List.of(
                "arm",
                "rows",
                "Σw",
                "posterior mean [95% interval]",
                "P(best)",
                "waiting (logged, not finalized)"),
            rows));
    b.append("<div class=\"grid\">")
        .append(
            Html.figure(
                SvgRows.intervals(
                    "router-" + r.router(),
                    "Posterior mean of " + r.reward() + " per arm",
                    names,
                    values,
                    null)));
    if (!r.traffic().isEmpty()) {
      List<String> days = new ArrayList<>();
      Map<String, List<Svg.Point>> byArm = new LinkedHashMap<>();
      for (RouterFigures.TrafficDay d : r.traffic()) {
        if (!days.contains(d.day())) {
          days.add(d.day());
        }
      }
      for (RouterFigures.TrafficDay d : r.traffic()) {
        byArm
            .computeIfAbsent(d.arm(), k -> new ArrayList<>())
            .add(new Svg.Point(days.indexOf(d.day()), d.share()));
      }
      List<Svg.Series> series = new ArrayList<>();
      byArm.forEach((arm, pts) -> series.add(new Svg.Series(arm, pts, false)));
      b.append(
          Html.figure(
              Svg.lines(
                  new Svg.LineChart(
                      "router-traffic-" + r.router(),
                      "Share of the router's traffic by day served",
                      new Svg.Axis(
                          "day of served_at", Ticks.Scale.INDEX, x -> dayTick(days, x), null),
                      new Svg.Axis("share", Ticks.Scale.LINEAR, Html::pct, new double[] {0, 1}),
                      series,
                      null,
                      days.size() == 1
                          ? "one day of data (" + days.get(0) + "): a trend needs two days or more"
                          : null))));
    }
    b.append("</div>");
  }

  private static String dayTick(List<String> days, double x) {
    int i = (int) Math.round(x);
    return Math.abs(x - i) < 1e-9 && i >= 0 && i < days.size() ? days.get(i) : "";
  }
}
