package dev.logwait.bench;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.logger.bandit.Router;
import dev.logwait.logger.bandit.RouterStats;
import dev.logwait.schema.FeatureSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * One strategy's traffic for one scenario and seed, through the real loggers. Each request is a
 * simulated user who would click arm i with probability {@code rates[i]}: one uniform draw {@code
 * u} per request, a click when {@code u < rate(arm)}. The users (u, the click's delay, the feature)
 * come from a generator seeded by scenario and seed alone, so the bandit and the A/B stream of a
 * seed serve the same users and differ only in the arms they give them (common random numbers).
 *
 * <p>The bandit stream chooses with a real {@link Router} reading the posteriors topic, and logs
 * the router's action and exact propensity; the A/B stream assigns arms uniformly at random (its
 * own seeded generator) and logs propensity 1/n.
 */
final class BanditStream {
  enum Strategy {
    BANDIT,
    AB
  }

  static final FeatureSet FEATURES = FeatureSet.builder("bandit", 1).addDouble("x").build();
  static final long HOUR = 3_600_000_000L;

  /** A click comes 1 s to 20 min after its request: inside the 30-minute window. */
  static final long MAX_DELAY = 20 * 60_000_000L;

  private static final Duration MAX_WAIT = Duration.ofMinutes(1);

  final BanditScenario scenario;
  final int seed;
  final Strategy strategy;
  final String name;
  final String[] actions;
  private final Router router;
  private final SplittableRandom users;
  private final SplittableRandom assignment;

  private final long[] served;
  private final long[] clicks;
  private double expectedRegret;
  private long lostClicks;
  private long fallbackChoices;
  private long dropped;
  private double lowestPropensity = 1;
  private final List<Step> steps = new ArrayList<>();
  private long[] stepServed;

  /**
   * What one step gave, after the joiner's run.
   *
   * @param samples finalized rows of the stream so far (every request served so far)
   * @param share each arm's share of this step's requests
   * @param best the router's probability of being best per arm after the step (bandit), or null
   * @param ruledOut the arm ruled out of being best after this step, or -1
   * @param expectedRegret Σ (best rate − chosen arm's rate) so far
   * @param lostClicks clicks the same users would have given the best arm, minus those they gave
   */
  record Step(
      int step,
      long samples,
      double[] share,
      double[] best,
      int ruledOut,
      double expectedRegret,
      long lostClicks) {}

  private BanditStream(
      BanditScenario scenario, int seed, Strategy strategy, String name, Router router) {
    this.scenario = scenario;
    this.seed = seed;
    this.strategy = strategy;
    this.name = name;
    this.router = router;
    int n = scenario.arms();
    this.actions = new String[n];
    for (int i = 0; i < n; i++) {
      actions[i] = name + "_" + BanditScenario.armLetter(i);
    }
    this.users = new SplittableRandom(scenario.name().hashCode() * 1_000_003L + seed);
    this.assignment = new SplittableRandom(seed * 7_919L + 17);
    this.served = new long[n];
    this.clicks = new long[n];
  }

  /** The router's name (and its actions' prefix) for a scenario and seed: {@code two_s1}. */
  static String routerName(BanditScenario scenario, int seed) {
    return scenario.name() + "_s" + seed;
  }

  /** A bandit stream whose router reads {@code topic} on {@code bootstrap}. */
  static BanditStream bandit(BanditScenario scenario, int seed, String bootstrap, String topic) {
    String name = routerName(scenario, seed);
    String[] arms = new String[scenario.arms()];
    for (int i = 0; i < arms.length; i++) {
      arms[i] = name + "_" + BanditScenario.armLetter(i);
    }
    Router router =
        Router.builder(name)
            .arms(arms)
            .bootstrapServers(bootstrap)
            .topic(topic)
            .seed(seed) // the Monte Carlo's draws; the choices themselves stay unseeded
            .build();
    return new BanditStream(scenario, seed, Strategy.BANDIT, name, router);
  }

  /** The A/B stream of the same users. */
  static BanditStream ab(BanditScenario scenario, int seed) {
    return new BanditStream(scenario, seed, Strategy.AB, "ab_" + routerName(scenario, seed), null);
  }

  /**
   * Serves one step's requests, spread over the simulated hour from {@code startMicros}, and logs
   * every prediction and click.
   */
  void serve(int step, long startMicros, PredictionLogger logger, LabelLogger labels) {
    int n = scenario.perStep();
    int arms = scenario.arms();
    double best = scenario.bestRate();
    stepServed = new long[arms];
    for (int i = 0; i < n; i++) {
      double u = users.nextDouble();
      long delay = 1_000_000L + users.nextLong(MAX_DELAY);
      double x = users.nextDouble();
      long servedAt = startMicros + i * (HOUR / n);
      String id = name + "-" + step + "-" + i;
      Prediction p =
          logger
              .prediction(FEATURES, "bandit-model", "1")
              .predictionId(id)
              .servedAtMicros(servedAt)
              .set(0, x)
              .score(0.5);
      int arm;
      if (router != null) {
        long choice = router.choose();
        arm = router.armIndex(choice);
        router.apply(choice, p);
        lowestPropensity = Math.min(lowestPropensity, router.propensity(choice));
        if (router.isFallback(choice)) {
          fallbackChoices++;
        }
      } else {
        arm = assignment.nextInt(arms);
        p.action(actions[arm]).propensity(1.0 / arms);
      }
      if (!logger.log(p, MAX_WAIT)) {
        dropped++;
      }
      boolean click = u < scenario.rate(arm);
      if (click
          && !labels.log(
              new Label("c-" + id, "click", 1, servedAt + delay, id, Map.of()), MAX_WAIT)) {
        dropped++;
      }
      served[arm]++;
      stepServed[arm]++;
      if (click) {
        clicks[arm]++;
      }
      expectedRegret += best - scenario.rate(arm);
      lostClicks += (u < best ? 1 : 0) - (click ? 1 : 0);
    }
  }

  /**
   * Takes the step's outcome: the finalized rows and clicks per arm through this step (from the
   * training table) must be exactly what was served; the bandit waits (bounded) until its router
   * routes by the posterior of {@code trainingSnapshot}.
   *
   * @param rows finalized rows per action through this step
   * @param clicked finalized clicks per action through this step
   */
  Step observe(int step, Map<String, Long> rows, Map<String, Long> clicked, long trainingSnapshot) {
    long[] r = new long[actions.length];
    long[] c = new long[actions.length];
    for (int i = 0; i < actions.length; i++) {
      r[i] = rows.getOrDefault(actions[i], 0L);
      c[i] = clicked.getOrDefault(actions[i], 0L);
    }
    if (!Arrays.equals(r, served) || !Arrays.equals(c, clicks)) {
      throw new IllegalStateException(
          name
              + " after step "
              + step
              + ": the training table holds rows "
              + Arrays.toString(r)
              + " and clicks "
              + Arrays.toString(c)
              + " per arm, but "
              + Arrays.toString(served)
              + " and "
              + Arrays.toString(clicks)
              + " were served: a prediction or click was lost or counted twice (see the joiner's"
              + " log)");
    }
    double[] best = null;
    int ruledOut;
    if (router != null) {
      best = RuledOut.probabilityOfBest(awaitPosterior(step, trainingSnapshot), floors());
      ruledOut = RuledOut.byProbabilityOfBest(best);
    } else {
      ruledOut = RuledOut.byIntervals(r, c);
    }
    long total = Arrays.stream(served).sum();
    double[] share = new double[actions.length];
    long stepTotal = Arrays.stream(stepServed).sum();
    for (int i = 0; i < share.length; i++) {
      share[i] = (double) stepServed[i] / stepTotal;
    }
    Step s = new Step(step, total, share, best, ruledOut, expectedRegret, lostClicks);
    steps.add(s);
    return s;
  }

  /**
   * The router's shares once it routes by the posterior of {@code snapshot}: polled until then, for
   * at most a minute. The posterior must cover every request served so far (none waiting).
   */
  private double[] awaitPosterior(int step, long snapshot) {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    RouterStats s = router.stats();
    while (!(Long.valueOf(snapshot).equals(s.trainingSnapshot())
        && s.source() == RouterStats.Source.POSTERIOR)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "router "
                + name
                + " did not take the posterior of training snapshot "
                + snapshot
                + " within a minute of the joiner's run (step "
                + step
                + "): "
                + s
                + ". Is the posteriors topic readable?");
      }
      LockSupport.parkNanos(10_000_000L);
      s = router.stats();
    }
    if (s.waiting().values().stream().anyMatch(w -> w > 0)) {
      throw new IllegalStateException(
          "router "
              + name
              + ": the posterior of step "
              + step
              + " still counts waiting predictions "
              + s.waiting()
              + "; every window should have closed (check the heartbeat)");
    }
    double[] shares = new double[actions.length];
    for (int i = 0; i < shares.length; i++) {
      shares[i] = s.shares().get(actions[i]);
    }
    return shares;
  }

  /** The router's floors: the defaults, 1% of the traffic split equally. */
  private double[] floors() {
    double[] f = new double[actions.length];
    Arrays.fill(f, Router.DEFAULT_TOTAL_FLOOR / actions.length);
    return f;
  }

  List<Step> steps() {
    return steps;
  }

  /** The first step after which an arm was ruled out, or null. */
  Step decision() {
    return steps.stream().filter(s -> s.ruledOut() >= 0).findFirst().orElse(null);
  }

  long fallbackChoices() {
    return fallbackChoices;
  }

  long dropped() {
    return dropped;
  }

  double lowestPropensity() {
    return lowestPropensity;
  }

  RouterStats routerStats() {
    return router == null ? null : router.stats();
  }

  boolean isBandit() {
    return strategy == Strategy.BANDIT;
  }

  void close() {
    if (router != null) {
      router.close();
    }
  }
}
