package dev.logwait.joiner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logwait.joiner.eval.figures.ComparisonFigures.Difference;
import dev.logwait.joiner.eval.figures.ComparisonFigures.LabelComparison;
import dev.logwait.joiner.eval.figures.ComparisonFigures.Variant;
import dev.logwait.joiner.eval.figures.Interval;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The A/B figures of one label from hand-made sums, against values computed by hand. */
class ComparisonTest {
  @Test
  void elevenRowsWithoutAClickHaveARateIntervalWellAboveZero() {
    Map<String, VariantSums> sums = new LinkedHashMap<>();
    sums.put("m/1", binary(11, 0));
    sums.put("m/2", binary(1000, 186));
    LabelComparison c = Comparison.of("click", sums, null);
    Interval rate = variant(c, "m/1").mean();
    assertThat(rate.estimate()).isZero();
    assertThat(rate.low()).isZero();
    // Wilson 95%, n = 11, 0 successes: z² / (n + z²)
    assertThat(rate.high()).isCloseTo(0.2588, within(1e-4));
  }

  @Test
  void aDifferenceAgainstElevenRowsDoesNotCollapseAndIncludesZero() {
    Map<String, VariantSums> sums = new LinkedHashMap<>();
    sums.put("m/1", binary(11, 0));
    sums.put("m/2", binary(1000, 186));
    Difference d = Comparison.of("click", sums, "m/2").differences().get(0);
    assertThat(d.variant()).isEqualTo("m/1");
    assertThat(d.difference().estimate()).isCloseTo(-0.186, within(1e-12));
    assertThat(d.difference().high() - d.difference().low()).isGreaterThan(0.2);
    assertThat(d.difference().covers(0)).isTrue();
  }

  /** Newcombe (1998), Statistics in Medicine 17, 873–890, table II, example (a): method 10. */
  @Test
  void theDifferenceOfTwoRatesIsNewcombesHybridScoreInterval() {
    Map<String, VariantSums> sums = new LinkedHashMap<>();
    sums.put("m/1", binary(80, 48));
    sums.put("m/2", binary(70, 56));
    Interval d = Comparison.of("click", sums, "m/1").differences().get(0).difference();
    assertThat(d.estimate()).isCloseTo(0.2, within(1e-12));
    assertThat(d.low()).isCloseTo(0.0524, within(1e-4));
    assertThat(d.high()).isCloseTo(0.3339, within(1e-4));
  }

  private static Variant variant(LabelComparison c, String name) {
    return c.variants().stream().filter(v -> v.variant().equals(name)).findFirst().orElseThrow();
  }

  /** {@code n} unweighted rows of a binary label, {@code k} of them 1, without scores. */
  static VariantSums binary(long n, long k) {
    VariantSums s = new VariantSums();
    s.n = n;
    s.w = n;
    s.w2 = n;
    s.wy = k;
    s.wy2 = k;
    s.wUnscored = n;
    return s;
  }
}
