package dev.logwait.joiner.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logwait.joiner.eval.figures.ComparisonFigures;
import dev.logwait.joiner.eval.figures.Interval;
import dev.logwait.joiner.eval.figures.Report;
import dev.logwait.joiner.eval.figures.ReportJson;
import dev.logwait.joiner.eval.figures.RouterFigures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's bandit routers: the table, the charts, the notes, and their JSON. */
class RoutersPageTest {
  static RouterFigures layout(List<String> notes) {
    return new RouterFigures(
        "layout",
        "training_x",
        "action",
        "click",
        "binary",
        1,
        1,
        null,
        42L,
        43L,
        "2026-01-02T00:00:00Z",
        "2026-01-02T00:01:00Z",
        "2026-01-02T00:01:01Z",
        42L,
        90.0,
        Posteriors.METHOD,
        Posteriors.DRAWS,
        List.of(
            new RouterFigures.Arm("a", 120, 120, new Interval(0.2, 0.14, 0.28), 0.1, 3),
            new RouterFigures.Arm(
                "c", 0, 0, new Interval(0.5, Double.NaN, Double.NaN), Double.NaN, 0)),
        List.of(
            new RouterFigures.TrafficDay("2026-01-01", "a", 60, 60, 0.75),
            new RouterFigures.TrafficDay("2026-01-01", "c", 20, 20, 0.25),
            new RouterFigures.TrafficDay("2026-01-02", "a", 60, 60, 1)),
        notes);
  }

  private static Report withRouters(List<RouterFigures> routers) {
    Report r =
        ReportPageTest.report(
            ReportPageTest.health(List.of()),
            new ComparisonFigures("", List.of()),
            ReportPageTest.drift(List.of()));
    return new Report(
        r.reportId(),
        r.generatedAt(),
        r.table(),
        r.rows(),
        r.health(),
        r.models(),
        r.policy(),
        r.policyNote(),
        r.drift(),
        routers);
  }

  @Test
  void eachRouterShowsItsArmsTheirShareOfTrafficAndWhatWasPublished() throws Exception {
    Report report = withRouters(List.of(layout(List.of("the next run brings them up to date"))));
    String page = ReportPageTest.page(report);
    String section = ReportPageTest.section(page, "Bandit routers");
    assertThat(section)
        .contains("router layout — arm action, reward click (binary)")
        .contains("Statistics of training snapshot 42, labels final through 2026-01-02T00:00:00Z")
        .contains("Published 2026-01-02T00:01:01Z (90s before this report)")
        .contains("Prior Beta(1, 1)")
        .contains("<p class=\"note warn\">the next run brings them up to date</p>")
        .contains("Beta(α + Σw·r, β + Σw − Σw·r)");
    assertThat(ReportPageTest.row(section, "a"))
        .contains("<td>120</td>", "0.2 [0.14, 0.28]", "<td>10.0%</td>", "<td>3</td>");
    assertThat(ReportPageTest.row(section, "c")).contains("0.5 [–, –]", "<td>–</td>");
    assertThat(ReportPageTest.chart(section, "router-layout")).contains("class=\"datum\"");
    assertThat(ReportPageTest.chart(section, "router-traffic-layout"))
        .contains("class=\"datum\"")
        .contains("2026-01-02");
    JsonNode json = new ObjectMapper().readTree(ReportJson.write(report));
    assertThat(json.at("/routers/0/router").asText()).isEqualTo("layout");
    assertThat(json.at("/routers/0/arms/1/probabilityBest").isNull()).isTrue();
    assertThat(json.at("/routers/0/arms/1/posterior/low").isNull()).isTrue();
    assertThat(json.at("/routers/0/traffic/0/share").asDouble()).isEqualTo(0.75);
    assertThat(json.at("/routers/0/stalenessSeconds").asDouble()).isEqualTo(90.0);
  }

  @Test
  void aTableWithoutRoutersHasNoRouterSection() {
    String page =
        ReportPageTest.page(
            ReportPageTest.report(
                ReportPageTest.health(List.of()),
                new ComparisonFigures("", List.of()),
                ReportPageTest.drift(List.of())));
    assertThat(page).doesNotContain("Bandit routers");
    assertThat(ReportJson.write(withRouters(List.of()))).contains("\"routers\" : [ ]");
  }
}
