package dev.logwait.joiner.eval;

import dev.logwait.joiner.bandit.OpenPredictions;
import dev.logwait.joiner.bandit.Posterior;
import dev.logwait.joiner.bandit.PosteriorTopic;
import dev.logwait.joiner.bandit.RouterState;
import dev.logwait.joiner.bandit.RouterTraffic;
import dev.logwait.joiner.bandit.StateTable;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.config.RewardKind;
import dev.logwait.joiner.config.RouterSpec;
import dev.logwait.joiner.eval.figures.RouterFigures;
import dev.logwait.joiner.table.Tables;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.SparkSession;

/**
 * The bandit routers, for {@code status} and the report: per arm the committed statistics of {@code
 * router_state} read as posteriors ({@link Posteriors}), the predictions still waiting (counted
 * now), when the newest message on the posteriors topic was published, and, for the report, each
 * arm's share of the router's traffic by day.
 */
public final class RouterSection {
  private RouterSection() {}

  /**
   * @param table only the routers of this training table; null: every router
   * @param traffic whether to compute the share of traffic by day (the report), or not (status)
   * @param kafkaTimeout how long the posteriors topic may take to read; a topic that cannot be read
   *     is noted, not fatal
   */
  public static List<RouterFigures> compute(
      SparkSession spark,
      JoinerConfig config,
      Tables tables,
      String table,
      boolean traffic,
      Duration kafkaTimeout,
      Instant now) {
    List<RouterSpec> routers =
        config.routers().stream().filter(r -> table == null || r.table().equals(table)).toList();
    if (routers.isEmpty()) {
      return List.of();
    }
    StateTable.Read states = new StateTable(spark, tables).read();
    Map<String, Posterior> published;
    String unreadable = null;
    try {
      published = PosteriorTopic.readLatest(config, kafkaTimeout).latest();
    } catch (RuntimeException e) {
      published = Map.of();
      unreadable =
          "the posteriors topic could not be read within "
              + kafkaTimeout.toSeconds()
              + " s ("
              + e.getMessage()
              + "): when it was published is not known";
    }
    List<RouterFigures> out = new ArrayList<>();
    for (RouterSpec r : routers) {
      out.add(
          figures(
              tables, r, states.get(r.name()), published.get(r.name()), unreadable, traffic, now));
    }
    return out;
  }

  private static RouterFigures figures(
      Tables tables,
      RouterSpec r,
      RouterState state,
      Posterior published,
      String unreadable,
      boolean withTraffic,
      Instant now) {
    List<String> notes = new ArrayList<>();
    if (unreadable != null) {
      notes.add(unreadable);
    }
    Long current = tables.exists(r.table()) ? tables.snapshotId(r.table()) : null;
    if (state != null && !state.spec().equals(RouterState.specOf(r))) {
      notes.add(
          "the kept statistics were computed for another configuration of the router; the next"
              + " run computes them anew");
    }
    if (state == null) {
      notes.add(
          "no statistics yet: the next run that finds rows in " + r.table() + " computes them");
    } else if (current != null && state.trainingSnapshot() != current) {
      notes.add(
          "the statistics are of training snapshot "
              + state.trainingSnapshot()
              + "; the table is at "
              + current
              + " now: the next run brings them up to date");
    }
    if (state != null
        && published != null
        && published.trainingSnapshot() != state.trainingSnapshot()) {
      notes.add(
          "the statistics of training snapshot "
              + state.trainingSnapshot()
              + " are committed but the newest message is of snapshot "
              + published.trainingSnapshot()
              + ": the next run publishes them");
    }
    Map<String, Long> waiting =
        current == null
            ? Map.of()
            : OpenPredictions.waiting(OpenPredictions.of(tables, r, current));
    TreeSet<String> names = new TreeSet<>(r.arms());
    names.addAll(waiting.keySet());
    Map<String, double[]> sums = new LinkedHashMap<>();
    Map<String, Long> rows = new TreeMap<>();
    if (state != null) {
      state
          .statistics()
          .arms()
          .forEach(
              a -> {
                names.add(a.arm());
                sums.put(a.arm(), new double[] {a.weight(), a.rewardSum(), a.rewardSumSquares()});
                rows.put(a.arm(), a.rows());
              });
    }
    List<Posteriors.Posterior> posteriors = new ArrayList<>();
    for (String arm : names) {
      double[] s = sums.getOrDefault(arm, new double[3]);
      posteriors.add(
          r.rewardKind() == RewardKind.BINARY
              ? Posteriors.binary(r.priorAlpha(), r.priorBeta(), s[0], s[1])
              : Posteriors.numeric(s[0], s[1], s[2]));
    }
    double[] best = Posteriors.probabilityBest(posteriors, Posteriors.DRAWS, Posteriors.SEED);
    List<RouterFigures.Arm> arms = new ArrayList<>();
    int i = 0;
    for (String arm : names) {
      arms.add(
          new RouterFigures.Arm(
              arm,
              rows.getOrDefault(arm, 0L),
              sums.getOrDefault(arm, new double[3])[0],
              posteriors.get(i).interval(),
              best[i],
              waiting.getOrDefault(arm, 0L)));
      i++;
    }
    return new RouterFigures(
        r.name(),
        r.table(),
        r.armColumn(),
        r.reward(),
        r.rewardKind().configName(),
        r.priorAlpha(),
        r.priorBeta(),
        r.halfLife() == null ? null : (double) r.halfLife().toSeconds(),
        state == null ? null : state.trainingSnapshot(),
        current,
        state == null || state.labelWatermarkMicros() == null
            ? null
            : instant(state.labelWatermarkMicros()),
        state == null ? null : instant(state.committedAtMicros()),
        published == null ? null : instant(published.publishedAtMicros()),
        published == null ? null : published.trainingSnapshot(),
        published == null
            ? null
            : Math.max(0, (now.toEpochMilli() * 1000 - published.publishedAtMicros()) / 1e6),
        Posteriors.METHOD,
        Posteriors.DRAWS,
        arms,
        withTraffic && current != null ? traffic(tables, r, current) : List.of(),
        notes);
  }

  /** Each arm's share of the day's weight. */
  private static List<RouterFigures.TrafficDay> traffic(
      Tables tables, RouterSpec r, long snapshot) {
    List<RouterTraffic.Day> days = RouterTraffic.byDay(tables, r, snapshot);
    Map<String, Double> total = new TreeMap<>();
    days.forEach(d -> total.merge(d.day(), d.weight(), Double::sum));
    return days.stream()
        .map(
            d ->
                new RouterFigures.TrafficDay(
                    d.day(), d.arm(), d.predictions(), d.weight(), d.weight() / total.get(d.day())))
        .toList();
  }

  private static String instant(long micros) {
    return Instant.ofEpochSecond(
            Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000)
        .toString();
  }
}
