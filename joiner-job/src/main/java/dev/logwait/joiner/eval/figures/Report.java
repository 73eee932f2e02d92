package dev.logwait.joiner.eval.figures;

import java.util.List;

/**
 * Every figure of one report; its JSON ({@link ReportJson}) is the report's {@code --format json}.
 *
 * @param policy null where no off-policy evaluation could be made; {@code policyNote} says why
 * @param routers the bandit routers of the table (empty when none is configured)
 */
public record Report(
    String reportId,
    String generatedAt,
    String table,
    long rows,
    HealthFigures health,
    ComparisonFigures models,
    PolicyFigures policy,
    String policyNote,
    DriftFigures drift,
    List<RouterFigures> routers) {
  public Report {
    routers = List.copyOf(routers);
  }

  /** A report of a table without routers. */
  public Report(
      String reportId,
      String generatedAt,
      String table,
      long rows,
      HealthFigures health,
      ComparisonFigures models,
      PolicyFigures policy,
      String policyNote,
      DriftFigures drift) {
    this(reportId, generatedAt, table, rows, health, models, policy, policyNote, drift, List.of());
  }
}
