package dev.logwait.joiner.eval.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.eval.figures.Interval;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The charts' axes: nice ticks (1, 2 or 5 × 10^k apart), also for flat and zero data. */
class SvgTest {
  @Test
  void aForestPlotOfIntervalsGetsNiceTicks() {
    String svg =
        SvgRows.intervals(
            "ab",
            "rates",
            List.of("a", "b"),
            List.of(new Interval(0.15, 0.09293, 0.2), new Interval(0.3, 0.25, 0.37)),
            null);
    List<Double> ticks = ticks(svg);
    assertNice(ticks);
    assertThat(ticks.get(0)).isLessThanOrEqualTo(0.09293);
    assertThat(ticks.get(ticks.size() - 1)).isGreaterThanOrEqualTo(0.37);
  }

  @Test
  void aForestPlotOfZerosHasATickAtZeroAndNoHairlineRange() {
    String svg =
        SvgRows.intervals(
            "ab",
            "rates",
            List.of("a", "b"),
            List.of(new Interval(0, 0, 0), new Interval(0, 0, 0)),
            null);
    assertThat(svg).doesNotContain("e-12", "e-13");
    List<Double> ticks = ticks(svg);
    assertNice(ticks);
    assertThat(ticks).contains(0.0);
    assertThat(ticks.get(ticks.size() - 1) - ticks.get(0)).isGreaterThanOrEqualTo(0.1);
  }

  @Test
  void aFlatSeriesGetsARangeAroundItsValueWithNiceTicks() {
    List<Svg.Point> flat = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      flat.add(new Svg.Point(i, 0.05));
    }
    String svg =
        Svg.lines(
            new Svg.LineChart(
                "flat",
                "flat",
                Svg.Axis.of("x"),
                Svg.Axis.of("rate"),
                List.of(new Svg.Series("s", flat, false)),
                null,
                null));
    assertThat(svg).doesNotContain("e-12", "e-13");
    List<Double> y = yTicks(svg);
    assertNice(y);
    assertThat(y.get(0)).isLessThan(0.05);
    assertThat(y.get(y.size() - 1)).isGreaterThanOrEqualTo(0.05);
    assertNice(xTicks(svg));
  }

  @Test
  void aLineChartsAxesAreNice() {
    List<Svg.Point> pts =
        List.of(new Svg.Point(0.013, 0.021), new Svg.Point(0.4, 0.3), new Svg.Point(0.71, 0.093));
    String svg =
        Svg.lines(
            new Svg.LineChart(
                "cal",
                "calibration",
                Svg.Axis.of("score"),
                Svg.Axis.of("rate"),
                List.of(new Svg.Series("s", pts, false)),
                null,
                null));
    List<Double> x = xTicks(svg);
    List<Double> y = yTicks(svg);
    assertNice(x);
    assertNice(y);
    assertThat(x.get(0)).isLessThanOrEqualTo(0.013);
    assertThat(x.get(x.size() - 1)).isGreaterThanOrEqualTo(0.71);
    assertThat(y.get(y.size() - 1)).isGreaterThanOrEqualTo(0.3);
  }

  /** Evenly spaced by 1, 2 or 5 × 10^k, each a multiple of the step, at least three. */
  static void assertNice(List<Double> ticks) {
    assertThat(ticks).as("ticks").hasSizeGreaterThanOrEqualTo(3);
    double step = ticks.get(1) - ticks.get(0);
    double magnitude = Math.pow(10, Math.floor(Math.log10(step)));
    double mantissa = step / magnitude;
    assertThat(List.of(1.0, 2.0, 5.0, 10.0))
        .as("step %s of ticks %s", step, ticks)
        .anySatisfy(m -> assertThat(Math.abs(mantissa - m)).isLessThan(1e-6));
    for (int i = 0; i < ticks.size(); i++) {
      double v = ticks.get(i);
      assertThat(Math.abs(v / step - Math.rint(v / step)))
          .as("tick %s of %s a multiple of %s", v, ticks, step)
          .isLessThan(1e-6);
      if (i > 0) {
        assertThat(Math.abs(v - ticks.get(i - 1) - step))
            .as("even spacing of %s", ticks)
            .isLessThan(step * 1e-6);
      }
    }
  }

  static List<Double> ticks(String svg) {
    return numbers(svg, "<text[^>]*font-size=\"10\"[^>]*>([^<]*)</text>");
  }

  static List<Double> xTicks(String svg) {
    return numbers(svg, "<text[^>]*font-size=\"10\" text-anchor=\"middle\"[^>]*>([^<]*)</text>");
  }

  static List<Double> yTicks(String svg) {
    return numbers(svg, "<text[^>]*font-size=\"10\" text-anchor=\"end\"[^>]*>([^<]*)</text>");
  }

  private static List<Double> numbers(String svg, String regex) {
    List<Double> out = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(svg);
    while (m.find()) {
      if (!m.group(1).isEmpty()) {
        out.add(Double.parseDouble(m.group(1).replace(",", "")));
      }
    }
    return out.stream().distinct().sorted().toList();
  }
}
