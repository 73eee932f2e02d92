package dev.logwait.joiner.eval.page;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The page's number and duration formats. */
class HtmlTest {
  @Test
  void durationsInTheirUnitWholeUnitsWithoutDecimals() {
    assertThat(Html.duration(0)).isEqualTo("0s");
    assertThat(Html.duration(45)).isEqualTo("45s");
    assertThat(Html.duration(60)).isEqualTo("1m");
    assertThat(Html.duration(90)).isEqualTo("90s");
    assertThat(Html.duration(600)).isEqualTo("10m");
    assertThat(Html.duration(3600)).isEqualTo("1h");
    assertThat(Html.duration(5400)).isEqualTo("90m");
    assertThat(Html.duration(5430)).isEqualTo("90.5m");
    assertThat(Html.duration(86400)).isEqualTo("1d");
    assertThat(Html.duration(1.5 * 86400)).isEqualTo("36h");
    assertThat(Html.duration(12.5 * 86400)).isEqualTo("12.5d");
    assertThat(Html.duration(187.8 * 86400)).isEqualTo("187.8d");
  }

  @Test
  void numbersWithFourSignificantDigitsAndADashForNone() {
    assertThat(Html.num(0.30000000000000004)).isEqualTo("0.3");
    assertThat(Html.num(0.2588)).isEqualTo("0.2588");
    assertThat(Html.num(12345.6)).isEqualTo("12,346");
    assertThat(Html.num(Double.NaN)).isEqualTo("–");
    assertThat(Html.num((Double) null)).isEqualTo("–");
  }
}
