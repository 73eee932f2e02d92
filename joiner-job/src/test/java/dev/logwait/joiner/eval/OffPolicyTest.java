package dev.logwait.joiner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logwait.joiner.eval.figures.PolicyEstimate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** IPS and SNIPS against hand-computed values, and a simulation with a known true value. */
class OffPolicyTest {
  @Test
  void ipsAndSnipsOfThreeRows() {
    // (s=1, p=.5, π=1, r=1): w=2; (s=1, p=.5, π=0, r=1): w=0; (s=2, p=.25, π=.5, r=0): w=2
    List<OffPolicy.Block> rows =
        List.of(
            new OffPolicy.Block(1, 1, 2, 2, 1),
            new OffPolicy.Block(1, 1, 0, 0, 1),
            new OffPolicy.Block(1, 2, 4, 0, 0));
    PolicyEstimate e = OffPolicy.estimate(rows, 200, 1);
    assertThat(e.ips().estimate()).isEqualTo(0.5); // 2 / 4
    assertThat(e.snips().estimate()).isCloseTo(1.0 / 3, within(1e-12)); // 2 / 6
    assertThat(e.observedReward()).isEqualTo(0.5); // (1 + 1 + 0) / 4
    assertThat(e.rows()).isEqualTo(3);
    assertThat(e.ips().low()).isLessThanOrEqualTo(0.5);
    assertThat(e.ips().high()).isGreaterThanOrEqualTo(0.5);
  }

  @Test
  void theLoggingPolicyItselfReproducesItsObservedReward() {
    List<OffPolicy.Block> rows = simulate(new SplittableRandom(7), 2_000, LOGGING);
    PolicyEstimate e = OffPolicy.estimate(rows, 100, 1);
    assertThat(e.ips().estimate()).isCloseTo(e.observedReward(), within(1e-12));
    assertThat(e.snips().estimate()).isCloseTo(e.observedReward(), within(1e-12));
  }

  /**
   * A logging policy with known propensities over 3 actions in 5 contexts, a different target
   * policy and Bernoulli rewards: the SNIPS interval must cover the target's true value in the
   * large majority of seeds (95% nominal).
   */
  @Test
  void snipsIntervalCoversTheTrueValueOfATargetPolicy() {
    double truth = 0;
    for (int x = 0; x < CONTEXTS; x++) {
      for (int a = 0; a < 3; a++) {
        truth += TARGET[x][a] * REWARD[x][a] / CONTEXTS;
      }
    }
    int seeds = 200;
    int coveredSnips = 0;
    int coveredIps = 0;
    for (int seed = 0; seed < seeds; seed++) {
      PolicyEstimate e =
          OffPolicy.estimate(simulate(new SplittableRandom(seed), 3_000, TARGET), 300, seed);
      coveredSnips += e.snips().covers(truth) ? 1 : 0;
      coveredIps += e.ips().covers(truth) ? 1 : 0;
    }
    System.out.printf(
        "[ope simulation] true value %.4f; 95%% intervals cover it in %d/%d seeds (SNIPS),"
            + " %d/%d (IPS)%n",
        truth, coveredSnips, seeds, coveredIps, seeds);
    assertThat(coveredSnips).isGreaterThanOrEqualTo((int) (0.88 * seeds));
    assertThat(coveredIps).isGreaterThanOrEqualTo((int) (0.88 * seeds));
  }

  static final int CONTEXTS = 5;
  static final double[][] REWARD = {
    {0.10, 0.30, 0.05},
    {0.20, 0.05, 0.40},
    {0.50, 0.20, 0.10},
    {0.05, 0.15, 0.25},
    {0.30, 0.30, 0.60}
  };
  static final double[][] LOGGING = {
    {0.6, 0.3, 0.1}, {0.1, 0.6, 0.3}, {0.3, 0.1, 0.6}, {0.6, 0.3, 0.1}, {0.1, 0.6, 0.3}
  };
  static final double[][] TARGET = {
    {0.1, 0.8, 0.1}, {0.1, 0.1, 0.8}, {0.8, 0.1, 0.1}, {0.1, 0.1, 0.8}, {0.1, 0.1, 0.8}
  };

  /** Rows logged by {@link #LOGGING}, one block each, weighted for {@code target}. */
  static List<OffPolicy.Block> simulate(SplittableRandom rnd, int n, double[][] target) {
    List<OffPolicy.Block> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int x = rnd.nextInt(CONTEXTS);
      double u = rnd.nextDouble();
      int a = u < LOGGING[x][0] ? 0 : u < LOGGING[x][0] + LOGGING[x][1] ? 1 : 2;
      double r = rnd.nextDouble() < REWARD[x][a] ? 1 : 0;
      double w = target[x][a] / LOGGING[x][a];
      rows.add(new OffPolicy.Block(1, 1, w, w * r, r));
    }
    return rows;
  }
}
