package dev.logwait.bench;

import dev.logwait.joiner.eval.figures.Interval;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** The bandit benchmark's figures: a table per scenario, the shares over time, coverage; CSV. */
final class BanditReport {
  private final List<BanditScenario> scenarios;
  private final int seeds;
  private final int steps;
  private final List<BanditStream> streams;
  private final List<OffPolicyCheck.Estimate> offPolicy;

  BanditReport(
      List<BanditScenario> scenarios,
      int seeds,
      int steps,
      List<BanditStream> streams,
      List<OffPolicyCheck.Estimate> offPolicy) {
    this.scenarios = scenarios;
    this.seeds = seeds;
    this.steps = steps;
    this.streams = streams;
    this.offPolicy = offPolicy;
  }

  String markdown(double loopSeconds) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%d seeds, %d steps; the loop (serve, log, join, publish, pick up) took %.0f s%n",
            seeds,
            steps,
            loopSeconds));
    for (BanditScenario s : scenarios) {
      long budget = (long) s.perStep() * steps;
      out.append(
          String.format(
              Locale.ROOT,
              "%n### %s arms, %s: %,d requests per seed and strategy (%,d per step)%n%n",
              s.arms() == 2 ? "Two" : "Three",
              s.ratesText(),
              budget,
              s.perStep()));
      out.append(
          "| strategy | seeds | samples until an arm is ruled out at 95% (median, range) |"
              + " decided (of them correct) | an arm ruled out after the last step (of them correct) |"
              + " regret: expected clicks lost (median, range) | realized clicks lost, same users"
              + " (median, range) | worse arm's share in the last step"
              + " (median, range) | worse arm's share over the budget (median) |\n");
      out.append("| --- | ---: | --- | --- | --- | --- | --- | --- | --- |\n");
      for (BanditStream.Strategy strategy : BanditStream.Strategy.values()) {
        List<BanditStream> mine = of(s, strategy);
        out.append("| ")
            .append(strategy == BanditStream.Strategy.BANDIT ? "bandit (Thompson)" : "A/B, uniform")
            .append(" | ")
            .append(mine.size())
            .append(" | ")
            .append(samplesToDecision(mine, budget))
            .append(" | ")
            .append(decided(mine))
            .append(" | ")
            .append(atTheEnd(mine))
            .append(" | ")
            .append(medianRange(mine, x -> last(x).expectedRegret(), "%,.0f"))
            .append(" | ")
            .append(medianRange(mine, x -> last(x).lostClicks(), "%,.0f"))
            .append(" | ")
            .append(medianRange(mine, x -> last(x).share()[s.worst()], "%.3f"))
            .append(" | ")
            .append(
                String.format(
                    Locale.ROOT, "%.3f", median(values(mine, x -> overall(x, s.worst())))))
            .append(" |\n");
      }
      out.append(
          String.format(
              Locale.ROOT,
              "%nWorse arm's (%s, %s) share of each step's requests, median over seeds:%n%n",
              BanditScenario.armLetter(s.worst()),
              BanditScenario.percent(s.rate(s.worst()))));
      List<Integer> checkpoints = checkpoints();
      out.append("| strategy |");
      checkpoints.forEach(
          c ->
              out.append(
                  String.format(Locale.ROOT, " step %d (%,d) |", c, (long) c * s.perStep())));
      out.append("\n| --- |").append(" ---: |".repeat(checkpoints.size())).append('\n');
      for (BanditStream.Strategy strategy : BanditStream.Strategy.values()) {
        List<BanditStream> mine = of(s, strategy);
        out.append("| ").append(strategy == BanditStream.Strategy.BANDIT ? "bandit" : "A/B");
        for (int c : checkpoints) {
          out.append(
              String.format(
                  Locale.ROOT,
                  " | %.3f",
                  median(values(mine, x -> x.steps().get(c - 1).share()[s.worst()]))));
        }
        out.append(" |\n");
      }
      out.append(offPolicyTable(s));
    }
    return out.toString();
  }

  private String offPolicyTable(BanditScenario s) {
    List<OffPolicyCheck.Estimate> mine =
        offPolicy.stream().filter(e -> e.scenario().equals(s)).toList();
    if (mine.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    out.append(
        "\nOff-policy check on the bandit's own finalized rows: \"always arm k\" estimated with the"
            + " report's IPS and SNIPS (95% percentile bootstrap, "
            + OffPolicyCheck.REPLICATES
            + " replicates over "
            + OffPolicyCheck.BLOCKS
            + " blocks); covered = the interval holds arm k's true rate:\n\n");
    out.append(
        "| candidate | true rate | propensity | IPS covered | SNIPS covered |"
            + " IPS estimate (median, range) | SNIPS estimate (median, range) |"
            + " IPS interval width (median) |\n");
    out.append("| --- | ---: | --- | ---: | ---: | --- | --- | ---: |\n");
    for (int k = 0; k < s.arms(); k++) {
      int arm = k;
      List<OffPolicyCheck.Estimate> ofArm = mine.stream().filter(e -> e.arm() == arm).toList();
      for (boolean uniform : new boolean[] {false, true}) {
        List<Interval> ips =
            ofArm.stream()
                .map(e -> (uniform ? e.uniform() : e.logged()).ips())
                .collect(Collectors.toList());
        List<Interval> snips =
            ofArm.stream()
                .map(e -> (uniform ? e.uniform() : e.logged()).snips())
                .collect(Collectors.toList());
        double truth = s.rate(k);
        out.append(
            String.format(
                Locale.ROOT,
                "| always %s | %s | %s | %d/%d | %d/%d | %s | %s | %.4f |%n",
                BanditScenario.armLetter(k),
                BanditScenario.percent(truth),
                uniform ? "1/n instead" : "logged",
                ips.stream().filter(i -> i.covers(truth)).count(),
                ips.size(),
                snips.stream().filter(i -> i.covers(truth)).count(),
                snips.size(),
                rangeOf(ips.stream().mapToDouble(Interval::estimate).toArray(), "%.4f"),
                rangeOf(snips.stream().mapToDouble(Interval::estimate).toArray(), "%.4f"),
                median(ips.stream().mapToDouble(i -> i.high() - i.low()).toArray())));
      }
    }
    long covered =
        mine.stream().filter(e -> e.logged().ips().covers(e.truth())).count()
            + mine.stream().filter(e -> e.logged().snips().covers(e.truth())).count();
    long coveredUniform =
        mine.stream().filter(e -> e.uniform().ips().covers(e.truth())).count()
            + mine.stream().filter(e -> e.uniform().snips().covers(e.truth())).count();
    out.append(
        String.format(
            Locale.ROOT,
            "%nCoverage, IPS and SNIPS together: %d/%d with the logged propensities, %d/%d with"
                + " 1/n.%n",
            covered,
            2 * mine.size(),
            coveredUniform,
            2 * mine.size()));
    return out.toString();
  }

  /** One line per stream and step. */
  String csv() {
    StringBuilder out =
        new StringBuilder(
            "scenario,seed,strategy,step,samples,share,probability_best,ruled_out,expected_regret,"
                + "lost_clicks\n");
    for (BanditStream x : streams) {
      for (BanditStream.Step s : x.steps()) {
        out.append(
            String.format(
                Locale.ROOT,
                "%s,%d,%s,%d,%d,%s,%s,%s,%.2f,%d%n",
                x.scenario.name(),
                x.seed,
                x.strategy.name().toLowerCase(Locale.ROOT),
                s.step() + 1,
                s.samples(),
                joined(s.share()),
                s.best() == null ? "" : joined(s.best()),
                s.ruledOut() < 0 ? "" : BanditScenario.armLetter(s.ruledOut()),
                s.expectedRegret(),
                s.lostClicks()));
      }
    }
    return out.toString();
  }

  /** One line per bandit, arm and propensity. */
  String offPolicyCsv() {
    StringBuilder out =
        new StringBuilder(
            "scenario,router,arm,truth,propensity,ips,ips_low,ips_high,snips,snips_low,snips_high,"
                + "rows\n");
    for (OffPolicyCheck.Estimate e : offPolicy) {
      for (boolean uniform : new boolean[] {false, true}) {
        var p = uniform ? e.uniform() : e.logged();
        out.append(
            String.format(
                Locale.ROOT,
                "%s,%s,%s,%.4f,%s,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%d%n",
                e.scenario().name(),
                e.router(),
                BanditScenario.armLetter(e.arm()),
                e.truth(),
                uniform ? "uniform" : "logged",
                p.ips().estimate(),
                p.ips().low(),
                p.ips().high(),
                p.snips().estimate(),
                p.snips().low(),
                p.snips().high(),
                p.rows()));
      }
    }
    return out.toString();
  }

  private List<BanditStream> of(BanditScenario s, BanditStream.Strategy strategy) {
    return streams.stream()
        .filter(x -> x.scenario.equals(s) && x.strategy == strategy)
        .collect(Collectors.toList());
  }

  /** Steps 1, 2, 3, 5, 10, 15, 20, 30, ... up to the last. */
  private List<Integer> checkpoints() {
    List<Integer> out = new ArrayList<>();
    for (int c : new int[] {1, 2, 3, 5, 10, 15, 20, 30, 40, 50}) {
      if (c < steps) {
        out.add(c);
      }
    }
    out.add(steps);
    return out;
  }

  /**
   * Median and range of the samples at each stream's decision; a stream without one counts as
   * beyond the budget.
   */
  static String samplesToDecision(List<BanditStream> streams, long budget) {
    double[] v =
        streams.stream()
            .mapToDouble(
                x -> x.decision() == null ? Double.POSITIVE_INFINITY : x.decision().samples())
            .sorted()
            .toArray();
    return String.format(
        Locale.ROOT,
        "%s (%s – %s)",
        samples(median(v), budget),
        samples(v[0], budget),
        samples(v[v.length - 1], budget));
  }

  private static String samples(double v, long budget) {
    return Double.isInfinite(v)
        ? String.format(Locale.ROOT, "> %,d", budget)
        : String.format(Locale.ROOT, "%,.0f", v);
  }

  /** {@code 4 (3)}: streams that ruled an arm out, and those whose arm was a worse one. */
  private static String decided(List<BanditStream> streams) {
    long decided = streams.stream().filter(x -> x.decision() != null).count();
    long correct =
        streams.stream()
            .filter(x -> x.decision() != null && x.scenario.worse(x.decision().ruledOut()))
            .count();
    return decided + " (" + correct + ")";
  }

  /**
   * {@code 5 (5)}: streams whose rule rules an arm out after the last step, and those whose arm is
   * a worse one. The first decision is a first look past 95%, which later looks may undo.
   */
  private static String atTheEnd(List<BanditStream> streams) {
    long decided = streams.stream().filter(x -> last(x).ruledOut() >= 0).count();
    long correct =
        streams.stream()
            .filter(x -> last(x).ruledOut() >= 0 && x.scenario.worse(last(x).ruledOut()))
            .count();
    return decided + " (" + correct + ")";
  }

  private static BanditStream.Step last(BanditStream x) {
    return x.steps().get(x.steps().size() - 1);
  }

  /** The arm's share of all the stream's requests. */
  private static double overall(BanditStream x, int arm) {
    double sum = 0;
    for (BanditStream.Step s : x.steps()) {
      sum += s.share()[arm];
    }
    return sum / x.steps().size(); // every step serves as many requests
  }

  private static double[] values(List<BanditStream> streams, ToDoubleFunction<BanditStream> f) {
    return streams.stream().mapToDouble(f).toArray();
  }

  private static String medianRange(
      List<BanditStream> streams, ToDoubleFunction<BanditStream> f, String format) {
    return rangeOf(values(streams, f), format);
  }

  private static String rangeOf(double[] v, String format) {
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    return String.format(Locale.ROOT, format, median(sorted))
        + " ("
        + String.format(Locale.ROOT, format, sorted[0])
        + " – "
        + String.format(Locale.ROOT, format, sorted[sorted.length - 1])
        + ")";
  }

  /** The median; of an even count, the mean of the middle two (infinite if either is). */
  static double median(double[] v) {
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String joined(double[] v) {
    return Arrays.stream(v)
        .mapToObj(x -> String.format(Locale.ROOT, "%.5f", x))
        .collect(Collectors.joining(";"));
  }
}
