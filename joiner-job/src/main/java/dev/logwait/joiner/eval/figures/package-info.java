/**
 * The evaluation report's figures as plain Java records, and their JSON ({@link ReportJson}), which
 * is the report's contract: the sections of {@code dev.logwait.joiner.eval} compute these records
 * from the tables, and the page of {@code dev.logwait.joiner.eval.page} only reads them. Nothing
 * here knows Spark or HTML.
 */
package dev.logwait.joiner.eval.figures;
