package dev.logwait.joiner.eval.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Heckbert's nice numbers, by hand. */
class TicksTest {
  @Test
  void niceNumbers() {
    assertThat(Ticks.nice(0.0929, true)).isCloseTo(0.1, within(1e-15));
    assertThat(Ticks.nice(0.27, true)).isCloseTo(0.2, within(1e-15));
    assertThat(Ticks.nice(0.27, false)).isCloseTo(0.5, within(1e-15));
    assertThat(Ticks.nice(7, true)).isEqualTo(10);
    assertThat(Ticks.nice(1234, false)).isEqualTo(2000);
  }

  @Test
  void ticksCoverTheDataInStepsOfOneTwoOrFive() {
    Ticks t = Ticks.of(0.09293, 0.37);
    assertThat(t.step()).isCloseTo(0.1, within(1e-15));
    assertThat(t.values()).containsExactly(0.0, 0.1, 0.2, 0.30000000000000004, 0.4);
    Ticks counts = Ticks.of(0, 1234);
    assertThat(counts.values()).containsExactly(0.0, 500.0, 1000.0, 1500.0);
    Ticks negative = Ticks.of(-0.2031, 0.0738);
    assertThat(negative.values()).contains(0.0);
    assertThat(negative.min()).isLessThanOrEqualTo(-0.2031);
    assertThat(negative.max()).isGreaterThanOrEqualTo(0.0738);
  }

  @Test
  void aFlatRangeGetsASpanAroundItsValue() {
    assertThat(Ticks.of(0, 0).values())
        .containsExactly(0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0);
    Ticks t = Ticks.of(0.05, 0.05);
    assertThat(t.min()).isLessThan(0.05);
    assertThat(t.max()).isGreaterThan(0.05);
    assertThat(t.step()).isCloseTo(0.01, within(1e-15));
    assertThat(Ticks.of(-3, -3).values()).contains(-3.0);
  }

  @Test
  void indexesStepByWholeNumbersAndOneIndexStandsInTheMiddle() {
    assertThat(Ticks.index(0, 1).values()).containsExactly(0.0, 1.0);
    assertThat(Ticks.index(0, 0).values()).containsExactly(-1.0, 0.0, 1.0);
    assertThat(Ticks.index(1, 30).step()).isEqualTo(10);
  }

  @Test
  void durationsStepInTheirUnit() {
    // 30 minutes: steps of 10 minutes, not of 500 s
    assertThat(Ticks.seconds(0, 1800).values()).isEqualTo(List.of(0.0, 600.0, 1200.0, 1800.0));
    // 3 hours: steps of an hour
    assertThat(Ticks.seconds(0, 3 * 3600).step()).isEqualTo(3600.0);
    // 90 seconds: seconds
    assertThat(Ticks.seconds(0, 90).step()).isEqualTo(20.0);
  }
}
