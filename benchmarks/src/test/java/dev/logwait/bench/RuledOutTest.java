package dev.logwait.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RuledOutTest {
  @Test
  void newcombesIntervalIsTheOneOfHisPaper() {
    // Newcombe (1998), example (a): 56/70 vs 48/80, method 10: 0.0524 to 0.3339
    double[] d = RuledOut.newcombe(80, 48, 70, 56);
    assertThat(d[0]).isCloseTo(0.2, within(1e-12));
    assertThat(d[1]).isCloseTo(0.0524, within(5e-5));
    assertThat(d[2]).isCloseTo(0.3339, within(5e-5));
  }

  @Test
  void abRulesOutTheArmThatAnotherBeatsSignificantly() {
    assertThat(RuledOut.byIntervals(new long[] {80, 70}, new long[] {48, 56})).isZero();
    assertThat(RuledOut.byIntervals(new long[] {70, 80}, new long[] {56, 48})).isEqualTo(1);
    // close rates on few rows: nothing
    assertThat(RuledOut.byIntervals(new long[] {100, 100}, new long[] {5, 6})).isEqualTo(-1);
    // three arms, the third clearly worse, the first two alike: the third
    assertThat(RuledOut.byIntervals(new long[] {5000, 5000, 5000}, new long[] {250, 252, 150}))
        .isEqualTo(2);
  }

  @Test
  void theBanditRulesOutTheArmWhoseProbabilityOfBeingBestIsAtMostFivePercent() {
    assertThat(RuledOut.byProbabilityOfBest(new double[] {0.05, 0.95})).isZero();
    assertThat(RuledOut.byProbabilityOfBest(new double[] {0.06, 0.94})).isEqualTo(-1);
    assertThat(RuledOut.byProbabilityOfBest(new double[] {0.50, 0.48, 0.02})).isEqualTo(2);
  }

  @Test
  void theProbabilityOfBestIsReadBackFromTheSharesWithoutTheFloors() {
    double f = 0.005;
    double[] best =
        RuledOut.probabilityOfBest(
            new double[] {f + 0.99 * 0.3, f + 0.99 * 0.7}, new double[] {f, f});
    assertThat(best[0]).isCloseTo(0.3, within(1e-12));
    assertThat(best[1]).isCloseTo(0.7, within(1e-12));
    // a share at its floor (rounded a hair below it) is a probability of 0, not negative
    assertThat(RuledOut.probabilityOfBest(new double[] {f - 1e-10, 1 - f}, new double[] {f, f})[0])
        .isZero();
  }
}
