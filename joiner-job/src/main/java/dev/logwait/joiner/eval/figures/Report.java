package dev.logwait.joiner.eval.figures;

/**
 * Every figure of one report; its JSON ({@link ReportJson}) is the report's {@code --format json}.
 *
 * @param policy null where no off-policy evaluation could be made; {@code policyNote} says why
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
    DriftFigures drift) {}
