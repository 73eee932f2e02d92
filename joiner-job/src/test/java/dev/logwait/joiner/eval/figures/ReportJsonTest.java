package dev.logwait.joiner.eval.figures;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's JSON, its contract: standard JSON, with null where a number is not finite. */
class ReportJsonTest {
  @Test
  void nonFiniteNumbersAreNullEverywhere() throws Exception {
    Interval nan = new Interval(Double.NaN, Double.NaN, Double.POSITIVE_INFINITY);
    Report r =
        new Report(
            "id",
            "2026-01-01T00:00:00Z",
            "training_x",
            11,
            new HealthFigures(
                List.of(
                    new HealthFigures.LabelHealth(
                        "click",
                        600,
                        List.of(new HealthFigures.DayRate("2026-01-01", "m", 0, 0, Double.NaN)),
                        List.of(new HealthFigures.Bin(0, 30, 0)),
                        List.of(new HealthFigures.CoveragePoint(0, Double.NaN)),
                        Double.NaN,
                        1800,
                        0)),
                List.of(
                    new HealthFigures.RunRow("r", "run", null, Map.of("late_labels", 0L), null))),
            new ComparisonFigures(
                "method",
                List.of(
                    new ComparisonFigures.LabelComparison(
                        "click",
                        true,
                        true,
                        "m/1",
                        List.of(
                            new ComparisonFigures.Variant(
                                "m/1",
                                0,
                                0,
                                0,
                                nan,
                                true,
                                Double.NaN,
                                Double.NaN,
                                null,
                                null,
                                List.of())),
                        List.of(new ComparisonFigures.Difference("m/1", "m/2", nan, true, null))))),
            new PolicyFigures(
                "c.csv",
                "label_click",
                11,
                11,
                0,
                0,
                new PolicyEstimate(nan, nan, Double.NaN, 0, 50),
                null,
                new PolicyFigures.Weights(Double.NaN, Double.NEGATIVE_INFINITY, 0, 100),
                1),
            null,
            new DriftFigures(
                "a",
                "b",
                "b",
                "c",
                List.of(new DriftFigures.FeatureDrift("m", "x", "numeric", Double.NaN, 0, 11)),
                List.of()));
    String json = ReportJson.write(r);
    assertThat(json).doesNotContain("NaN", "Infinity");
    JsonNode n = new ObjectMapper().readTree(json); // standard JSON: a strict parser reads it
    assertThat(n.at("/models/labels/0/variants/0/auc").isNull()).isTrue();
    assertThat(n.at("/models/labels/0/variants/0/logLoss").isNull()).isTrue();
    assertThat(n.at("/models/labels/0/variants/0/mean/low").isNull()).isTrue();
    assertThat(n.at("/models/labels/0/variants/0/mean/high").isNull()).isTrue();
    assertThat(n.at("/models/labels/0/differences/0/difference/estimate").isNull()).isTrue();
    assertThat(n.at("/health/labels/0/coverageAtWindow").isNull()).isTrue();
    assertThat(n.at("/health/labels/0/rateByDay/0/rate").isNull()).isTrue();
    assertThat(n.at("/health/labels/0/coverage/0/share").isNull()).isTrue();
    assertThat(n.at("/policy/loggingPolicy/observedReward").isNull()).isTrue();
    assertThat(n.at("/policy/weights/maxWeight").isNull()).isTrue();
    assertThat(n.at("/drift/features/0/psi").isNull()).isTrue();
    // finite numbers are untouched
    assertThat(n.at("/drift/features/0/currentWeight").asDouble()).isEqualTo(11.0);
    assertThat(n.at("/health/labels/0/horizonSeconds").asDouble()).isEqualTo(1800.0);
  }
}
