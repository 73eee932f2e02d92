package dev.logwait.joiner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Student's t quantiles against the printed tables. */
class StudentTTest {
  @Test
  void the975thPercentileForSomeDegreesOfFreedom() {
    assertThat(StudentT.quantile(0.975, 1)).isCloseTo(12.7062, within(1e-4));
    assertThat(StudentT.quantile(0.975, 2)).isCloseTo(4.3027, within(1e-4));
    assertThat(StudentT.quantile(0.975, 3)).isCloseTo(3.1824, within(1e-4));
    assertThat(StudentT.quantile(0.975, 10)).isCloseTo(2.2281, within(1e-4));
    assertThat(StudentT.quantile(0.975, 30)).isCloseTo(2.0423, within(1e-4));
    assertThat(StudentT.quantile(0.975, 1e6)).isCloseTo(1.95997, within(1e-4));
    assertThat(StudentT.quantile(0.95, 5)).isCloseTo(2.0150, within(1e-4));
  }

  @Test
  void fractionalDegreesOfFreedomLieBetweenTheirNeighbours() {
    assertThat(StudentT.quantile(0.975, 5.5)).isBetween(2.4469, 2.5706);
  }
}
