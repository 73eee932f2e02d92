package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.logger.bandit.Router;
import dev.logwait.schema.FeatureSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bandit loop across processes, on a real broker, real Spark and real Iceberg tables: a service
 * in a child JVM ({@link RouterChild}) starts its router before any posterior exists and chooses by
 * the fallback weights; a real joiner run finalizes logged predictions and publishes the router's
 * statistics; the child picks them up and routes by them: the snapshot it routes by is the training
 * table's, its shares are the floors plus each arm's probability of being best under the Beta
 * posteriors of the table's counts (computed here by numerical integration), and its choices report
 * exactly those shares as propensities. A second run's posterior replaces the first. No exception
 * reaches the child's request thread throughout.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class RouterProcessIT {
  static final FeatureSet FS = FeatureSet.builder("bandit", 1).addDouble("x").build();
  static final long T0 = 1_780_000_000_000_000L;
  static final long MIN = 60_000_000L;

  private Process child;
  private Path childLog;
  private int seq;

  @AfterEach
  void stopChild() throws InterruptedException {
    if (child != null) {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRouterInAChildJvmRoutesByThePosteriorsThatRealJoinerRunsPublish() throws Exception {
    Scenario base =
        new Scenario(
            "routerproc",
            1,
            1,
            "labels:\n"
                + "  - {name: click, window: 10m, aggregation: exists, default: 0}\n"
                + "routers:\n"
                + "  - {name: layout, table: bandit, reward: click, arms: [a, b]}\n",
            "0s");
    String topic = base.id + "-posteriors";
    Scenario s = new Scenario(base, "p", "kafka.posteriors-topic: " + topic + "\n");

    // the service starts first: no posterior topic yet, the fallback weights (equal)
    startChild(s, topic);
    String[] start = awaitState("FALLBACK_NO_POSTERIOR", "null");
    assertThat(Double.parseDouble(start[3])).isCloseTo(0.5, within(1e-6));
    assertThat(Double.parseDouble(start[4])).isCloseTo(0.5, within(1e-6));
    assertThat(chosenAfter(start)).containsExactly("null", start[3], start[4], "true");

    // 1. 100 choices of each arm: a clicked 30 times, b 40 times
    traffic(s, T0, 100, 3, 4);
    heartbeat(s, T0 + 215 * MIN);
    var run1 = s.run();
    assertThat(run1.counts())
        .containsEntry("finalized", 200L)
        .containsEntry("router_published.layout", 1L);
    long snapshot1 = current(s);
    String[] first = awaitState("POSTERIOR", String.valueOf(snapshot1));
    assertShares(first, 100, 30, 100, 40);
    assertThat(chosenAfter(first))
        .as("the propensities its choices report are its shares")
        .containsExactly(String.valueOf(snapshot1), first[3], first[4], "false");

    // 2. 100 more of each: a 30 clicks, b 50; the next posterior replaces the first
    traffic(s, T0 + 220 * MIN, 100, 3, 5);
    heartbeat(s, T0 + 435 * MIN);
    var run2 = s.run();
    assertThat(run2.counts())
        .containsEntry("finalized", 200L)
        .containsEntry("router_published.layout", 1L);
    long snapshot2 = current(s);
    assertThat(snapshot2).isNotEqualTo(snapshot1);
    String[] second = awaitState("POSTERIOR", String.valueOf(snapshot2));
    assertShares(second, 200, 60, 200, 90);
    assertThat(chosenAfter(second))
        .containsExactly(String.valueOf(snapshot2), second[3], second[4], "false");

    assertThat(child.isAlive()).as(output()).isTrue();
    assertThat(output()).doesNotContain("FAILED");
    System.out.printf(
        "[router-process-it] child JVM router: fallback 0.5/0.5, then snapshot %d shares %s/%s,"
            + " then snapshot %d shares %s/%s%n",
        snapshot1, first[3], first[4], snapshot2, second[3], second[4]);
  }

  /**
   * The child's shares are {@code floor + (1 − 2·floor) · P(best)}, P(best) of Beta(1 + clicks, 1 +
   * rows − clicks) per arm (the joiner's default prior), to within the Monte Carlo's error.
   */
  private static void assertShares(
      String[] state, long rowsA, long clicksA, long rowsB, long clicksB) {
    double pb =
        probabilityBGreater(1 + clicksA, 1 + rowsA - clicksA, 1 + clicksB, 1 + rowsB - clicksB);
    double floor = Router.DEFAULT_TOTAL_FLOOR / 2;
    double a = Double.parseDouble(state[3]);
    double b = Double.parseDouble(state[4]);
    assertThat(a + b).isCloseTo(1, within(1e-5));
    // 10,000 Monte Carlo draws: a standard error of at most 0.005
    assertThat(b).as("b's share").isCloseTo(floor + (1 - 2 * floor) * pb, within(0.02));
    assertThat(a).as("a's share").isCloseTo(floor + (1 - 2 * floor) * (1 - pb), within(0.02));
  }

  /** P(B > A) for A ~ Beta(a1, b1), B ~ Beta(a2, b2): ∫ f_B(x) F_A(x) dx on a fine grid. */
  static double probabilityBGreater(double a1, double b1, double a2, double b2) {
    int n = 200_000;
    double[] fa = new double[n];
    double[] fb = new double[n];
    double maxA = Double.NEGATIVE_INFINITY;
    double maxB = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      double x = (i + 0.5) / n;
      fa[i] = (a1 - 1) * Math.log(x) + (b1 - 1) * Math.log1p(-x);
      fb[i] = (a2 - 1) * Math.log(x) + (b2 - 1) * Math.log1p(-x);
      maxA = Math.max(maxA, fa[i]);
      maxB = Math.max(maxB, fb[i]);
    }
    double sumA = 0;
    double sumB = 0;
    for (int i = 0; i < n; i++) {
      fa[i] = Math.exp(fa[i] - maxA);
      fb[i] = Math.exp(fb[i] - maxB);
      sumA += fa[i];
      sumB += fb[i];
    }
    double cdfA = 0;
    double p = 0;
    for (int i = 0; i < n; i++) {
      // A below x: the cells before, and half of this one
      p += fb[i] / sumB * (cdfA + fa[i] / sumA / 2);
      cdfA += fa[i] / sumA;
    }
    return p;
  }

  private void startChild(Scenario s, String topic) throws IOException {
    childLog = s.dir.resolve("router-child.log");
    child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                RouterChild.class.getName(),
                s.broker.bootstrapServers(),
                topic,
                "layout",
                "a,b")
            .redirectErrorStream(true)
            .redirectOutput(childLog.toFile())
            .start();
  }

  /**
   * The child's STATE line for that source and snapshot, once printed: {@code STATE source snapshot
   * share_a share_b readerErrors}. The router checks for a missing topic every 10 s.
   */
  private String[] awaitState(String source, String snapshot) {
    String prefix = "STATE " + source + " " + snapshot + " ";
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> !child.isAlive() || output().lines().anyMatch(l -> l.startsWith(prefix)));
    assertThat(child.isAlive()).as("the child died:\n%s", output()).isTrue();
    return output().lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().split(" ");
  }

  /** The CHOSEN line printed right after that STATE line: {@code snapshot p_a p_b fallback}. */
  private List<String> chosenAfter(String[] state) {
    String line = String.join(" ", state);
    await()
        .atMost(Duration.ofMinutes(1))
        .until(
            () -> {
              List<String> lines = output().lines().toList();
              int i = lines.indexOf(line);
              return i >= 0 && i + 1 < lines.size();
            });
    List<String> lines = output().lines().toList();
    String next = lines.get(lines.indexOf(line) + 1);
    assertThat(next)
        .as("choices made under one posterior only:\n%s", output())
        .startsWith("CHOSEN ");
    return List.of(next.substring("CHOSEN ".length()).split(" "));
  }

  private String output() {
    try {
      return Files.readString(childLog);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code n} predictions of each arm a minute apart from {@code t0}, alternating, as the router's
   * choices (propensity 0.5); of every ten of an arm, the first {@code clicksA} (a) or {@code
   * clicksB} (b) are clicked 3 minutes later.
   */
  private void traffic(Scenario s, long t0, int n, int clicksA, int clicksB) {
    try (PredictionLogger logger = s.predictionLogger().build();
        LabelLogger labels = s.labelLogger()) {
      for (int i = 0; i < 2 * n; i++) {
        String id = "p" + ++seq;
        boolean a = i % 2 == 0;
        long served = t0 + i * MIN;
        logger.log(
            logger
                .prediction(FS, "m", "v1")
                .predictionId(id)
                .servedAtMicros(served)
                .action(a ? "a" : "b")
                .propensity(0.5)
                .set("x", (double) i));
        if ((i / 2) % 10 < (a ? clicksA : clicksB)) {
          labels.log(Label.forPrediction(id, "click", 1, served + 3 * MIN));
        }
      }
      assertThat(logger.flush(Duration.ofSeconds(60))).isTrue();
      assertThat(labels.flush(Duration.ofSeconds(60))).isTrue();
    }
  }

  /** A label of no configured spec that moves the labels topic's clock (the watermark). */
  private static void heartbeat(Scenario s, long at) {
    try (LabelLogger labels = s.labelLogger()) {
      labels.log(Label.of(null, "heartbeat", 0, at, Map.of("hb", String.valueOf(at))));
      labels.flush(Duration.ofSeconds(60));
    }
  }

  private static long current(Scenario s) {
    s.spark().sql("REFRESH TABLE " + s.table("training_bandit"));
    return s.spark()
        .sql("SELECT snapshot_id FROM " + s.table("training_bandit") + ".refs WHERE name = 'main'")
        .first()
        .getLong(0);
  }
}
