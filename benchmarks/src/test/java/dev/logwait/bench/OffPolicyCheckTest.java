package dev.logwait.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logwait.joiner.eval.OffPolicy;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class OffPolicyCheckTest {
  /** Per arm: n, Σs, Σs/p, Σs·r/p, Σs·r (unsampled rows: s = 1). */
  private static double[] arm(double p, long rows, long clicks) {
    return new double[] {rows, rows, rows / p, clicks / p, clicks};
  }

  @Test
  void alwaysArmKWeighsArmKsRowsByOneOverTheLoggedPropensityOrByN() {
    // one block: arm a served 80 times at 0.8 (8 clicks), arm b 20 times at 0.2 (4 clicks)
    Map<Integer, double[][]> blocks = new TreeMap<>();
    blocks.put(0, new double[][] {arm(0.8, 80, 8), arm(0.2, 20, 4)});

    OffPolicy.Block a = OffPolicyCheck.candidate(blocks, 0, false).get(0);
    assertThat(a.n()).isEqualTo(100);
    assertThat(a.sumS()).isEqualTo(100);
    assertThat(a.sumSR()).isEqualTo(12);
    assertThat(a.sumSW()).isCloseTo(100, within(1e-9)); // 80 / 0.8
    assertThat(a.sumSWR()).isCloseTo(10, within(1e-9)); // IPS 10 / 100 = a's rate, 0.1

    OffPolicy.Block b = OffPolicyCheck.candidate(blocks, 1, false).get(0);
    assertThat(b.sumSWR() / b.sumS()).isCloseTo(0.2, within(1e-9)); // IPS = b's rate

    // with 1/2 in place of the logged propensities, IPS follows the allocation
    OffPolicy.Block bUniform = OffPolicyCheck.candidate(blocks, 1, true).get(0);
    assertThat(bUniform.sumSWR() / bUniform.sumS()).isCloseTo(0.08, within(1e-9));
    // and SNIPS is b's own click rate whatever the constant
    assertThat(bUniform.sumSWR() / bUniform.sumSW()).isCloseTo(0.2, within(1e-9));
  }

  @Test
  void aBlockWithoutArmKsRowsStillCountsItsRowsInTheDenominator() {
    Map<Integer, double[][]> blocks = new TreeMap<>();
    blocks.put(0, new double[][] {arm(0.5, 10, 1), null});
    List<OffPolicy.Block> b = OffPolicyCheck.candidate(blocks, 1, false);
    assertThat(b.get(0).sumS()).isEqualTo(10);
    assertThat(b.get(0).sumSW()).isZero();
    assertThat(b.get(0).sumSWR()).isZero();
  }
}
