package dev.logwait.joiner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.JoinerJob;
import dev.logwait.joiner.eval.figures.Interval;
import dev.logwait.joiner.eval.figures.RouterFigures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code status} and the stream's batch line say of the routers. */
class RouterLinesTest {
  @Test
  void statusShowsEachRouterItsPublicationAndOneRowPerArm() {
    RouterFigures r =
        new RouterFigures(
            "revenue",
            "training_x",
            "model_version",
            "spend",
            "numeric",
            1,
            1,
            3600.0,
            42L,
            42L,
            "2026-01-02T00:00:00Z",
            "2026-01-02T00:01:00Z",
            "2026-01-02T00:01:01Z",
            41L,
            7300.0,
            "how",
            10_000,
            List.of(
                new RouterFigures.Arm("v1", 1200, 950.5, new Interval(3.25, 3.1, 3.4), 0.8123, 17),
                new RouterFigures.Arm(
                    "v2", 1, 1, new Interval(2, Double.NaN, Double.NaN), Double.NaN, 0)),
            List.of(),
            List.of("the next run publishes them"));
    assertThat(RouterLines.of(List.of(r)))
        .containsExactly(
            "routers (how):",
            "  revenue: training_x, arm model_version, reward spend (numeric, half-life 60 min)",
            "    statistics of training snapshot 42 (labels final through 2026-01-02T00:00:00Z),"
                + " committed 2026-01-02T00:01:00Z",
            "    published 2026-01-02T00:01:01Z, 2.0 h ago (staleness), of training snapshot 41",
            "    note: the next run publishes them",
            "    arm   rows     Σw  mean  95% interval  P(best)  waiting",
            "    v1   1,200  950.5  3.25    [3.1, 3.4]    81.2%       17",
            "    v2       1      1     2             –        –        0");
    assertThat(RouterLines.of(List.of())).isEmpty();
  }

  @Test
  void aBatchLineNamesTheRoutersItPublished() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("finalized", 5L);
    counts.put("router_published.layout", 1L);
    counts.put("router_rows.layout", 5L);
    counts.put("router_published.revenue", 1L);
    JoinerJob.Summary s = new JoinerJob.Summary("r", counts, null, Map.of(), Map.of(), 1000);
    assertThat(BatchLine.of(3, s)).endsWith("; 1.0 s; posteriors published: layout, revenue");
  }
}
