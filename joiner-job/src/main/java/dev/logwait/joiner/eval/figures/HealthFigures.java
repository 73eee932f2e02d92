package dev.logwait.joiner.eval.figures;

import java.util.List;
import java.util.Map;

/**
 * Join health: per label spec the label rate by day and model, the delay histogram and the
 * window-coverage curve; and the counts of recent runs.
 */
public record HealthFigures(List<LabelHealth> labels, List<RunRow> runs) {
  /** The counts of {@code runs} shown over recent runs, in this order. */
  public static final List<String> RUN_COUNTS =
      List.of(
          "late_labels",
          "orphan_labels",
          "quarantined",
          "prediction_duplicates_dropped",
          "label_duplicates_dropped");

  /** The weighted share of one model's predictions of one day that have an event of the label. */
  public record DayRate(String day, String model, long rows, double weightedRows, double rate) {}

  /** A histogram bin {@code [fromSeconds, toSeconds)} and its weight. */
  public record Bin(double fromSeconds, double toSeconds, double weight) {}

  /** The share of matched events that arrive within {@code seconds} of serving. */
  public record CoveragePoint(double seconds, double share) {}

  /**
   * One label spec's health.
   *
   * @param coverageAtWindow the coverage curve at the configured window (NaN: no matched event)
   * @param horizonSeconds the coverage curve's end
   * @param matchedWithinHorizon the weight of the events matched within the horizon
   */
  public record LabelHealth(
      String label,
      long windowSeconds,
      List<DayRate> rateByDay,
      List<Bin> delay,
      List<CoveragePoint> coverage,
      double coverageAtWindow,
      double horizonSeconds,
      double matchedWithinHorizon) {}

  /** One run of the joiner: its counts ({@link #RUN_COUNTS}) and the watermark's lag at finish. */
  public record RunRow(
      String runId,
      String command,
      String startedAt,
      Map<String, Long> counts,
      Double watermarkLagMinutes) {}
}
