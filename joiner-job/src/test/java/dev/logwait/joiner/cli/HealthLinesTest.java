package dev.logwait.joiner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run's join health, printed as a small table rather than a line of JSON. */
class HealthLinesTest {
  @Test
  void oneLinePerLabelAndModelWithTheFiguresAligned() {
    Map<String, Object> click = new LinkedHashMap<>();
    click.put(
        "ranker_a",
        Map.of(
            "finalized",
            50_053L,
            "matched",
            2_087L,
            "label_rate",
            0.041695,
            "delay_seconds_p50_p90_p99",
            List.of(41.2, 300.0, 839.6)));
    click.put(
        "ranker_b",
        Map.of(
            "finalized",
            7L,
            "matched",
            0L,
            "label_rate",
            0.0,
            "delay_seconds_p50_p90_p99",
            List.of()));
    assertThat(Report.healthLines(Map.of("click", click)))
        .containsExactly(
            "label  model     finalized  matched    rate  delay p50/p90/p99 (s)",
            "click  ranker_a     50,053    2,087  0.0417             41/300/840",
            "click  ranker_b          7        0  0.0000                      -");
  }
}
