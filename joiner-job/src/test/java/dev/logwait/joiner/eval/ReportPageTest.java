package dev.logwait.joiner.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.eval.figures.ComparisonFigures;
import dev.logwait.joiner.eval.figures.DriftFigures;
import dev.logwait.joiner.eval.figures.HealthFigures;
import dev.logwait.joiner.eval.figures.Report;
import dev.logwait.joiner.eval.figures.ReportJson;
import dev.logwait.joiner.eval.page.ReportPage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page drawn from figures computed in plain Java: what it claims, and what it explains. */
class ReportPageTest {
  @Test
  void aDifferenceAgainstATinyGroupClaimsNothing() {
    Map<String, VariantSums> sums = new LinkedHashMap<>();
    sums.put("m/1", ComparisonTest.binary(11, 0));
    sums.put("m/2", ComparisonTest.binary(1000, 186));
    ComparisonFigures models =
        new ComparisonFigures(Comparison.METHOD, List.of(Comparison.of("click", sums, "m/2")));
    String page = page(report(health(List.of()), models, drift(List.of())));
    String row = row(page, "m/1 − m/2");
    assertThat(row).doesNotContain("<td>yes</td>").contains("too small to judge");
  }

  @Test
  void oneDayOfDataSaysWhyThereIsNoTrendAndNoDrift() {
    List<HealthFigures.DayRate> oneDay =
        List.of(
            new HealthFigures.DayRate("2026-01-01", "m", 500, 500, 0.04),
            new HealthFigures.DayRate("2026-01-01", "n", 300, 300, 0.06));
    List<DriftFigures.FeatureDrift> noReference =
        List.of(
            new DriftFigures.FeatureDrift("m", "x", "numeric", Double.NaN, 0, 500),
            new DriftFigures.FeatureDrift("n", "x", "numeric", Double.NaN, 0, 300));
    String page =
        page(report(health(oneDay), new ComparisonFigures("", List.of()), drift(noReference)));
    String rateChart = chart(page, "rate-click");
    assertThat(rateChart).contains("one day of data (2026-01-01)");
    assertThat(rateChart).contains("class=\"datum\""); // the day's rates are still drawn
    assertThat(section(page, "Join health")).contains("one day of data");
    assertThat(section(page, "Feature drift"))
        .contains("No row was served in the reference period")
        .contains("one day of data");
  }

  static String page(Report r) {
    return ReportPage.html(r, ReportJson.write(r));
  }

  static Report report(HealthFigures h, ComparisonFigures m, DriftFigures d) {
    return new Report(
        "id", "2026-01-02T00:00:00Z", "training_x", 800, h, m, null, "no candidate", d);
  }

  static HealthFigures health(List<HealthFigures.DayRate> rates) {
    return new HealthFigures(
        List.of(
            new HealthFigures.LabelHealth(
                "click",
                600,
                rates,
                List.of(new HealthFigures.Bin(0, 30, 3)),
                List.of(
                    new HealthFigures.CoveragePoint(0, 0),
                    new HealthFigures.CoveragePoint(1800, 1)),
                0.9,
                1800,
                10)),
        List.of());
  }

  static DriftFigures drift(List<DriftFigures.FeatureDrift> features) {
    return new DriftFigures(
        "2025-12-25T00:00:00Z",
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00Z",
        "2026-01-02T00:00:00Z",
        features,
        List.of());
  }

  /** The table row whose first cell starts with {@code first}. */
  static String row(String page, String first) {
    Matcher m = Pattern.compile("<tr><td>" + Pattern.quote(first) + ".*?</tr>").matcher(page);
    assertThat(m.find()).as("a row of " + first).isTrue();
    return m.group();
  }

  /** The chart with {@code data-chart="id"}. */
  static String chart(String page, String id) {
    Matcher m = Pattern.compile("<svg[^>]*data-chart=\"" + id + "\".*?</svg>").matcher(page);
    assertThat(m.find()).as("chart " + id).isTrue();
    return m.group();
  }

  /** From the section's heading to the next one. */
  static String section(String page, String heading) {
    int from = page.indexOf("<h2>" + heading);
    assertThat(from).as("section " + heading).isNotNegative();
    int to = page.indexOf("<h2>", from + 4);
    return page.substring(from, to < 0 ? page.length() : to);
  }
}
