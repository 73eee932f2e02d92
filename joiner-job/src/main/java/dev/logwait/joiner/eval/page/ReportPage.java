package dev.logwait.joiner.eval.page;

import dev.logwait.joiner.eval.figures.Report;

/** The report as one self-contained HTML page: inline SVG charts, no script, no network. */
public final class ReportPage {
  private ReportPage() {}

  public static String html(Report r, String json) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>logwait evaluation: ")
        .append(Html.esc(r.table()))
        .append("</title><style>")
        .append(Html.STYLE)
        .append("</style></head><body>");
    b.append("<h1>logwait evaluation — ")
        .append(Html.esc(r.table()))
        .append("</h1><p class=\"note\">")
        .append(String.format("%,d", r.rows()))
        .append(" finalized rows; report ")
        .append(Html.esc(r.reportId()))
        .append(", generated ")
        .append(Html.esc(r.generatedAt()))
        .append(". Every figure weights rows by 1 / sample_rate.</p>");
    HealthPage.append(b, r.health());
    ModelsPage.append(b, r.models());
    PolicyPage.append(b, r.policy(), r.policyNote());
    DriftPage.append(b, r.drift());
    RoutersPage.append(b, r.routers());
    b.append("<script type=\"application/json\" id=\"figures\">")
        .append(json.replace("</", "<\\/"))
        .append("</script></body></html>\n");
    return b.toString();
  }
}
