package dev.logwait.joiner.eval;

import dev.logwait.joiner.eval.ComparisonSection.LabelComparison;
import java.util.ArrayList;
import java.util.List;

/** The report's sections on models and versions (A/B) and on off-policy evaluation. */
final class ComparisonPage {
  private ComparisonPage() {}

  static void models(StringBuilder b, ComparisonSection.Figures m) {
    b.append("<h2>Models and versions (A/B)</h2><p class=\"note\">Intervals: ")
        .append(Html.esc(m.method()))
        .append(".</p>");
    for (LabelComparison l : m.labels()) {
      b.append("<h3>label ")
          .append(Html.esc(l.label()))
          .append(l.binary() ? " (binary: rate)" : " (numeric: mean)")
          .append("</h3>");
      List<List<String>> rows = new ArrayList<>();
      for (ComparisonSection.Variant v : l.variants()) {
        rows.add(
            List.of(
                Html.esc(v.variant()),
                String.format("%,d", v.rows()),
                Html.num(v.weightedRows()),
                Html.interval(v.mean()),
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
                  l.binary() ? "rate [95% CI]" : "mean [95% CI]",
                  "log loss",
                  "AUC",
                  "MAE of prediction",
                  "RMSE of prediction"),
              rows));
      List<List<String>> diffs = new ArrayList<>();
      for (ComparisonSection.Difference d : l.differences()) {
        diffs.add(
            List.of(
                Html.esc(d.variant() + " − " + d.baseline()),
                Html.interval(d.difference()),
                d.difference().low() > 0 || d.difference().high() < 0 ? "yes" : "no"));
      }
      b.append(Html.table(List.of("difference", "estimate [95% CI]", "excludes 0"), diffs));
      b.append("<div class=\"grid\">");
      b.append(
          ReportPage.figure(
              SvgRows.intervals(
                  "ab-" + l.label(),
                  (l.binary() ? "Rate" : "Mean") + " by model/version, 95% intervals",
                  l.variants().stream().map(ComparisonSection.Variant::variant).toList(),
                  l.variants().stream().map(ComparisonSection.Variant::mean).toList(),
                  null)));
      if (l.binary() && l.scored()) {
        List<Svg.Series> series = new ArrayList<>();
        for (ComparisonSection.Variant v : l.variants()) {
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
            ReportPage.figure(
                Svg.lines(
                    "calibration-" + l.label(),
                    "Calibration: score deciles vs observed rate",
                    "mean predicted score",
                    "observed rate",
                    series,
                    null,
                    Html::num,
                    null)));
      }
      b.append("</div>");
    }
  }

  static void policy(StringBuilder b, PolicySection.Figures p, String note) {
    b.append("<h2>Off-policy evaluation</h2>");
    if (p == null) {
      b.append("<p class=\"note\">").append(Html.esc(note)).append("</p>");
      return;
    }
    b.append("<p class=\"note\">Reward: ")
        .append(Html.esc(p.reward()))
        .append(". Of ")
        .append(String.format("%,d", p.loggedRows()))
        .append(" rows, ")
        .append(String.format("%,d", p.withAction()))
        .append(" carry an action; ")
        .append(String.format("%,d", p.positivityViolations()))
        .append(" have a missing, zero or invalid propensity (positivity violations) and ")
        .append(String.format("%,d", p.withoutCandidate()))
        .append(" have no candidate probabilities: both are counted and left out.")
        .append(" Intervals: percentile bootstrap, ")
        .append(p.loggingPolicy().replicates())
        .append(" replicates over ")
        .append(p.blocks())
        .append(" random blocks of rows.</p>");
    List<String> names = new ArrayList<>();
    List<Interval> values = new ArrayList<>();
    OffPolicy.Estimate log = p.loggingPolicy();
    names.add("logging policy, observed");
    values.add(new Interval(log.observedReward(), Double.NaN, Double.NaN));
    names.add("logging policy, IPS (sanity)");
    values.add(log.ips());
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of(
            "logging policy (sanity check: must equal the observed mean)",
            Html.num(log.observedReward()),
            Html.interval(log.ips()),
            Html.interval(log.snips()),
            String.format("%,d", log.rows()),
            "–",
            "–",
            "–"));
    if (p.candidateValue() != null) {
      OffPolicy.Estimate c = p.candidateValue();
      PolicySection.Weights w = p.weights();
      rows.add(
          List.of(
              "candidate " + Html.esc(p.candidate()),
              "–",
              Html.interval(c.ips()),
              Html.interval(c.snips()),
              String.format("%,d", c.rows()),
              Html.num(w.effectiveSampleSize()),
              Html.num(w.maxWeight()),
              Html.pct(w.clippedShare()) + " at " + Html.num(w.clipCap())));
      names.add("candidate, IPS");
      values.add(c.ips());
      names.add("candidate, SNIPS");
      values.add(c.snips());
    }
    b.append(
        Html.table(
            List.of(
                "policy",
                "observed mean reward",
                "IPS [95% CI]",
                "SNIPS [95% CI]",
                "rows",
                "effective sample size",
                "max weight",
                "weights clipped"),
            rows));
    b.append("<div class=\"grid\">")
        .append(
            ReportPage.figure(
                SvgRows.intervals(
                    "policy",
                    "Policy value (" + p.reward() + ")",
                    names,
                    values,
                    log.observedReward())))
        .append("</div>");
  }
}
