package dev.logwait.joiner.eval;

import dev.logwait.joiner.eval.HealthSection.LabelHealth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report as one self-contained HTML page: inline SVG charts, no script, no network. */
public final class ReportPage {
  /** The drift table lists this many features, largest PSI first; the JSON has them all. */
  static final int TABLE_ROWS = 30;

  private ReportPage() {}

  public static String html(Evaluation.Report r, String json) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>logwait evaluation: ")
        .append(Html.esc(r.table()))
        .append("</title><style>")
        .append(Html.STYLE)
        .append("</style></head><body>");
    b.append("<h1>logwait evaluation — ")
        .append(Html.esc(r.table()))
        .append("</h1><p class=\"note\">")
        .append(String.format("%,d", r.rows()))
        .append(" finalized rows; report ")
        .append(Html.esc(r.reportId()))
        .append(", generated ")
        .append(Html.esc(r.generatedAt()))
        .append(". Every figure weights rows by 1 / sample_rate.</p>");
    health(b, r.health());
    ComparisonPage.models(b, r.models());
    ComparisonPage.policy(b, r.policy(), r.policyNote());
    drift(b, r.drift());
    b.append("<script type=\"application/json\" id=\"figures\">")
        .append(json.replace("</", "<\\/"))
        .append("</script></body></html>\n");
    return b.toString();
  }

  private static void health(StringBuilder b, HealthSection.Figures h) {
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
          .append("</p><div class=\"grid\">");
      Map<String, List<Svg.Point>> byModel = new LinkedHashMap<>();
      List<String> days = new ArrayList<>();
      for (HealthSection.DayRate d : l.rateByDay()) {
        if (!days.contains(d.day())) {
          days.add(d.day());
        }
      }
      for (HealthSection.DayRate d : l.rateByDay()) {
        byModel
            .computeIfAbsent(d.model(), k -> new ArrayList<>())
            .add(new Svg.Point(days.indexOf(d.day()), d.rate()));
      }
      List<Svg.Series> series = new ArrayList<>();
      byModel.forEach((m, pts) -> series.add(new Svg.Series(m, pts, false)));
      b.append(
          figure(
              Svg.lines(
                  "rate-" + l.label(),
                  "Label rate by day served",
                  "day of served_at",
                  "rate",
                  series,
                  null,
                  x -> dayTick(days, x),
                  null)));
      b.append(
          figure(
              Svg.histogram(
                  "delay-" + l.label(),
                  "Delay to the first event (finalized rows)",
                  "delay",
                  "weighted rows",
                  l.delay().stream().mapToDouble(HealthSection.Bin::fromSeconds).toArray(),
                  l.delay().stream().mapToDouble(HealthSection.Bin::toSeconds).toArray(),
                  l.delay().stream().mapToDouble(HealthSection.Bin::weight).toArray(),
                  Html::duration)));
      List<Svg.Point> curve =
          l.coverage().stream().map(c -> new Svg.Point(c.seconds(), c.share())).toList();
      b.append(
          figure(
              Svg.lines(
                  "coverage-" + l.label(),
                  "Window coverage: share of matched events within w",
                  "w (time from serving to event)",
                  "share",
                  List.of(new Svg.Series("coverage", curve, false)),
                  new Svg.Marker(l.windowSeconds(), "window " + Html.duration(l.windowSeconds())),
                  Html::duration,
                  new double[] {0, 1})));
      b.append("</div>");
    }
    b.append("<h3>Recent runs</h3>");
    List<Svg.Series> counts = new ArrayList<>();
    for (String k : HealthSection.RUN_COUNTS) {
      List<Svg.Point> pts = new ArrayList<>();
      for (int i = 0; i < h.runs().size(); i++) {
        pts.add(new Svg.Point(i + 1, h.runs().get(i).counts().get(k)));
      }
      counts.add(new Svg.Series(k, pts, false));
    }
    b.append("<div class=\"grid\">")
        .append(
            figure(
                Svg.lines(
                    "runs",
                    "Counts per run (oldest first)",
                    "run",
                    "count",
                    counts,
                    null,
                    x -> Math.abs(x - Math.rint(x)) < 1e-9 ? String.valueOf(Math.round(x)) : "",
                    null)))
        .append("</div>");
    List<List<String>> rows = new ArrayList<>();
    for (HealthSection.RunRow run : h.runs()) {
      List<String> row = new ArrayList<>();
      row.add(Html.esc(run.startedAt()));
      row.add(Html.esc(run.command()));
      HealthSection.RUN_COUNTS.forEach(k -> row.add(String.format("%,d", run.counts().get(k))));
      row.add(
          run.watermarkLagMinutes() == null ? "–" : Html.duration(run.watermarkLagMinutes() * 60));
      rows.add(row);
    }
    List<String> header = new ArrayList<>(List.of("started", "command"));
    header.addAll(HealthSection.RUN_COUNTS);
    header.add("watermark lag at finish");
    b.append(Html.table(header, rows));
  }

  private static void drift(StringBuilder b, DriftSection.Figures d) {
    b.append("<h2>Feature drift</h2>");
    if (d.currentFrom() == null) {
      b.append("<p class=\"note\">No finalized rows yet.</p>");
      return;
    }
    b.append("<p class=\"note\">Rows served ")
        .append(Html.esc(d.currentFrom()))
        .append(" – ")
        .append(Html.esc(d.currentTo()))
        .append(" against the reference ")
        .append(Html.esc(d.referenceFrom()))
        .append(" – ")
        .append(Html.esc(d.referenceTo()))
        .append(", per model; population stability index (PSI) over the reference's deciles")
        .append(" (numeric), categories, or vector norms; a missing value is a bin of its own.")
        .append(" Below 0.1 stable, 0.1–0.25 moderate, above 0.25 major. Recorded in the drift")
        .append(" table.")
        .append(
            d.skipped().isEmpty() ? "" : " Skipped: " + Html.esc(String.join(", ", d.skipped())))
        .append("</p>");
    List<DriftSection.FeatureDrift> top = d.features().stream().limit(15).toList();
    b.append("<div class=\"grid\">")
        .append(
            figure(
                SvgRows.bars(
                    "drift",
                    "Top features by PSI",
                    top.stream().map(f -> f.feature() + " · " + f.model()).toList(),
                    top.stream().mapToDouble(DriftSection.FeatureDrift::psi).toArray(),
                    0.1,
                    0.25)))
        .append("</div>");
    List<List<String>> rows = new ArrayList<>();
    for (DriftSection.FeatureDrift f : d.features().stream().limit(TABLE_ROWS).toList()) {
      rows.add(
          List.of(
              Html.esc(f.feature()),
              Html.esc(f.model()),
              Html.esc(f.kind()),
              (f.psi() > 0.25 ? "<b class=\"warn\">" : "<b>") + Html.num(f.psi()) + "</b>",
              Html.num(f.referenceWeight()),
              Html.num(f.currentWeight())));
    }
    b.append(
        Html.table(
            List.of(
                "feature",
                "model",
                "kind",
                "PSI",
                "reference rows (weighted)",
                "current rows (weighted)"),
            rows));
    if (d.features().size() > TABLE_ROWS) {
      b.append("<p class=\"note\">")
          .append(TABLE_ROWS)
          .append(" of ")
          .append(d.features().size())
          .append(
              " features (model × feature) shown; all are in the JSON and the drift table.</p>");
    }
  }

  static String figure(String svg) {
    return "<figure>" + svg + "</figure>";
  }

  private static String dayTick(List<String> days, double x) {
    int i = (int) Math.round(x);
    return Math.abs(x - i) < 1e-9 && i >= 0 && i < days.size() ? days.get(i) : "";
  }
}
