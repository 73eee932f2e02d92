package dev.logwait.joiner.eval.page;

import dev.logwait.joiner.eval.figures.Interval;
import dev.logwait.joiner.eval.figures.PolicyEstimate;
import dev.logwait.joiner.eval.figures.PolicyFigures;
import java.util.ArrayList;
import java.util.List;

/**
 * The report's off-policy evaluation: what was left out, the logging policy's sanity check and the
 * candidate's IPS and SNIPS, as a table and a forest plot.
 */
final class PolicyPage {
  private PolicyPage() {}

  static void append(StringBuilder b, PolicyFigures p, String note) {
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
    PolicyEstimate log = p.loggingPolicy();
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
      PolicyEstimate c = p.candidateValue();
      PolicyFigures.Weights w = p.weights();
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
            Html.figure(
                SvgRows.intervals(
                    "policy",
                    "Policy value (" + p.reward() + ")",
                    names,
                    values,
                    log.observedReward())))
        .append("</div>");
  }
}
