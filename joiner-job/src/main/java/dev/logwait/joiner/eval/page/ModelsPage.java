package dev.logwait.joiner.eval.page;

import dev.logwait.joiner.eval.figures.ComparisonFigures;
import dev.logwait.joiner.eval.figures.ComparisonFigures.LabelComparison;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's models and versions (A/B): per label a table of the variants, a table of their
 * differences to the baseline, a forest plot and, for scored binary labels, a calibration chart.
 */
final class ModelsPage {
  /** What a group, or a difference involving one, too small to judge says instead of a claim. */
  static final String TOO_SMALL = " <span class=\"warn\">too small to judge</span>";

  private ModelsPage() {}

  static void append(StringBuilder b, ComparisonFigures m) {
    b.append("<h2>Models and versions (A/B)</h2><p class=\"note\">Intervals: ")
        .append(Html.esc(m.method()))
        .append(".</p>");
    for (LabelComparison l : m.labels()) {
      b.append("<h3>label ")
          .append(Html.esc(l.label()))
          .append(l.binary() ? " (binary: rate)" : " (numeric: mean)")
          .append("</h3>");
      List<List<String>> rows = new ArrayList<>();
      for (ComparisonFigures.Variant v : l.variants()) {
        rows.add(
            List.of(
                Html.esc(v.variant()),
                String.format("%,d", v.rows()),
                Html.num(v.weightedRows()),
                Html.num(v.effectiveRows()),
                Html.interval(v.mean()) + (v.tooSmall() ? TOO_SMALL : ""),
                Html.num(v.logLoss()),
                Html.num(v.auc()),
                Html.num(v.meanAbsoluteError()),
                Html.num(v.rootMeanSquaredError())));
      }
      b.append(
          Html.table(
              List.of(
                  "model/version",
                  "rows",
                  "weighted rows",
                  "effective rows",
                  l.binary() ? "rate [95% CI]" : "mean [95% CI]",
                  "log loss",
                  "AUC",
                  "MAE of prediction",
                  "RMSE of prediction"),
              rows));
      List<List<String>> diffs = new ArrayList<>();
      for (ComparisonFigures.Difference d : l.differences()) {
        diffs.add(
            List.of(
                Html.esc(d.variant() + " − " + d.baseline()),
                Html.interval(d.difference()),
                d.tooSmall() ? TOO_SMALL : d.excludesZero() ? "yes" : "no"));
      }
      b.append(Html.table(List.of("difference", "estimate [95% CI]", "excludes 0"), diffs));
      b.append("<div class=\"grid\">");
      b.append(
          Html.figure(
              SvgRows.intervals(
                  "ab-" + l.label(),
                  (l.binary() ? "Rate" : "Mean") + " by model/version, 95% intervals",
                  l.variants().stream()
                      .map(v -> v.variant() + (v.tooSmall() ? " (too small)" : ""))
                      .toList(),
                  l.variants().stream().map(ComparisonFigures.Variant::mean).toList(),
                  null)));
      if (l.binary() && l.scored()) {
        List<Svg.Series> series = new ArrayList<>();
        for (ComparisonFigures.Variant v : l.variants()) {
          series.add(
              new Svg.Series(
                  v.variant(),
                  v.calibration().stream()
                      .map(c -> new Svg.Point(c.meanPredicted(), c.observed()))
                      .toList(),
                  false));
        }
        series.add(
            new Svg.Series(
                "perfect calibration", List.of(new Svg.Point(0, 0), new Svg.Point(1, 1)), true));
        b.append(
            Html.figure(
                Svg.lines(
                    new Svg.LineChart(
                        "calibration-" + l.label(),
                        "Calibration: score deciles vs observed rate",
                        Svg.Axis.of("mean predicted score"),
                        Svg.Axis.of("observed rate"),
                        series,
                        null,
                        null))));
      }
      b.append("</div>");
    }
  }
}
