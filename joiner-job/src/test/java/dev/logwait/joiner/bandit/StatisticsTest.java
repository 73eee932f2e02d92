package dev.logwait.joiner.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The arithmetic of the kept sums: adding disjoint rows, and decaying to a later watermark. */
class StatisticsTest {
  private static final long HOUR = 3_600_000_000L;

  /** One row: arm, weight (1 / sample rate), reward, served at. */
  record Row(String arm, double w, double r, long servedAt) {}

  /** The sums over rows as of watermark {@code wm}, straight from the definition. */
  static Statistics oracle(List<Row> rows, long wm, Long halfLife) {
    List<ArmSums> out = new java.util.ArrayList<>();
    for (Row x : rows) {
      double w =
          halfLife == null ? x.w() : x.w() * Math.pow(0.5, (double) (wm - x.servedAt()) / halfLife);
      out.add(new ArmSums(x.arm(), w, w * x.r(), w * x.r() * x.r(), 1));
    }
    return new Statistics(out);
  }

  @Test
  void armsAreMergedByNameAndOrdered() {
    Statistics s =
        new Statistics(
            List.of(
                new ArmSums("b", 2, 1, 1, 2),
                new ArmSums("a", 1, 0, 0, 1),
                new ArmSums("b", 4, 4, 4, 1)));
    assertThat(s.arms())
        .containsExactly(new ArmSums("a", 1, 0, 0, 1), new ArmSums("b", 6, 5, 5, 3));
    assertThat(s.rows()).isEqualTo(4);
    assertThat(s.arm("b").weight()).isEqualTo(6);
    assertThat(s.arm("c")).isNull();
    assertThat(s.plus(new Statistics(List.of(new ArmSums("c", 1, 1, 1, 1)))).arms()).hasSize(3);
    assertThatThrownBy(() -> new ArmSums("a", 1, 1, 1, 1).plus(new ArmSums("b", 1, 1, 1, 1)))
        .hasMessageContaining("adding arm b to arm a");
  }

  @Test
  void aDecayHalvesEveryHalfLifeAndKeepsTheRowCount() {
    assertThat(Decay.factor(0L, 2 * HOUR, HOUR)).isEqualTo(0.25);
    assertThat(Decay.factor(5L, 99L, null)).isEqualTo(1);
    assertThat(Decay.factor(null, null, null)).isEqualTo(1);
    assertThatThrownBy(() -> Decay.factor(null, 1L, HOUR))
        .hasMessageContaining("a decay needs both label watermarks");
    ArmSums a = new ArmSums("a", 8, 4, 2, 8).scaled(0.25);
    assertThat(a).isEqualTo(new ArmSums("a", 2, 1, 0.5, 8));
    assertThat(Decay.seconds(HOUR)).isEqualTo(3600.0);
    assertThat(Decay.seconds(null)).isNull();
  }

  @Test
  void keptSumsDecayedAndNewRowsAddedEqualTheSumsOverEveryRow() {
    Random rnd = new Random(7);
    Long halfLife = 6 * HOUR;
    long wm1 = 100 * HOUR;
    long wm2 = 130 * HOUR;
    long wm3 = 131 * HOUR;
    List<Row> first = rows(rnd, 500, 0, wm1);
    List<Row> second = rows(rnd, 300, wm1 - 24 * HOUR, wm2); // late rows too: served before wm1
    List<Row> third = rows(rnd, 50, wm2 - HOUR, wm3);
    Statistics kept = oracle(first, wm1, halfLife);
    kept = kept.scaled(Decay.factor(wm1, wm2, halfLife)).plus(oracle(second, wm2, halfLife));
    kept = kept.scaled(Decay.factor(wm2, wm3, halfLife)).plus(oracle(third, wm3, halfLife));
    List<Row> all = new java.util.ArrayList<>(first);
    all.addAll(second);
    all.addAll(third);
    assertClose(kept, oracle(all, wm3, halfLife));
    // without a half-life, nothing decays: the plain sums
    Statistics plain =
        oracle(first, wm1, null).plus(oracle(second, wm2, null)).plus(oracle(third, wm3, null));
    assertClose(plain, oracle(all, wm3, null));
  }

  static List<Row> rows(Random rnd, int n, long from, long to) {
    List<Row> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t = from + (long) (rnd.nextDouble() * (to - from));
      double w = rnd.nextBoolean() ? 1 : 4; // sample rates 1 and 0.25
      out.add(new Row(rnd.nextInt(3) == 0 ? "a" : "b", w, rnd.nextInt(5) == 0 ? 1 : 0, t));
    }
    return out;
  }

  static void assertClose(Statistics actual, Statistics expected) {
    assertThat(actual.arms()).hasSameSizeAs(expected.arms());
    for (ArmSums e : expected.arms()) {
      ArmSums a = actual.arm(e.arm());
      assertThat(a).as(e.arm()).isNotNull();
      assertThat(a.rows()).as("rows of " + e.arm()).isEqualTo(e.rows());
      assertThat(a.weight()).isCloseTo(e.weight(), within(1e-9 * Math.max(1, e.weight())));
      assertThat(a.rewardSum()).isCloseTo(e.rewardSum(), within(1e-9 * Math.max(1, e.weight())));
      assertThat(a.rewardSumSquares())
          .isCloseTo(e.rewardSumSquares(), within(1e-9 * Math.max(1, e.weight())));
    }
  }
}
