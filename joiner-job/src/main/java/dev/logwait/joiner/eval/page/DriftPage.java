package dev.logwait.joiner.eval.page;

import dev.logwait.joiner.eval.figures.DriftFigures;
import java.util.ArrayList;
import java.util.List;

/** The report's feature drift: the top features by PSI as bars, and a table of the largest. */
final class DriftPage {
  /** The drift table lists this many features, largest PSI first; the JSON has them all. */
  static final int TABLE_ROWS = 30;

  private DriftPage() {}

  static void append(StringBuilder b, DriftFigures d) {
    b.append("<h2>Feature drift</h2>");
    if (d.currentFrom() == null) {
      b.append("<p class=\"note\">No finalized rows yet.</p>");
      return;
    }
    b.append("<p class=\"note\">Rows served ")
        .append(Html.esc(d.currentFrom()))
        .append(" – ")
        .append(Html.esc(d.currentTo()))
        .append(" against the reference ")
        .append(Html.esc(d.referenceFrom()))
        .append(" – ")
        .append(Html.esc(d.referenceTo()))
        .append(", per model; population stability index (PSI) over the reference's deciles")
        .append(" (numeric), categories, or vector norms; a missing value is a bin of its own.")
        .append(" Below 0.1 stable, 0.1–0.25 moderate, above 0.25 major. Recorded in the drift")
        .append(" table.")
        .append(
            d.skipped().isEmpty() ? "" : " Skipped: " + Html.esc(String.join(", ", d.skipped())))
        .append("</p>");
    boolean noReference =
        !d.features().isEmpty() && d.features().stream().allMatch(f -> !(f.referenceWeight() > 0));
    if (noReference) {
      b.append("<p class=\"big\">No row was served in the reference period (")
          .append(Html.esc(d.referenceFrom()))
          .append(" – ")
          .append(Html.esc(d.referenceTo()))
          .append("). The PSI compares the current period with the reference, so it has no value")
          .append(" yet (–): as with one day of data, where there is no reference week before")
          .append(" it. Drift shows once the table holds rows from before the current period.</p>");
    }
    List<DriftFigures.FeatureDrift> top = d.features().stream().limit(15).toList();
    b.append("<div class=\"grid\">")
        .append(
            Html.figure(
                noReference
                    ? Svg.empty("drift", "Top features by PSI", "no reference period: no PSI")
                    : SvgRows.bars(
                        "drift",
                        "Top features by PSI",
                        top.stream().map(f -> f.feature() + " · " + f.model()).toList(),
                        top.stream().mapToDouble(DriftFigures.FeatureDrift::psi).toArray(),
                        0.1,
                        0.25)))
        .append("</div>");
    List<List<String>> rows = new ArrayList<>();
    for (DriftFigures.FeatureDrift f : d.features().stream().limit(TABLE_ROWS).toList()) {
      rows.add(
          List.of(
              Html.esc(f.feature()),
              Html.esc(f.model()),
              Html.esc(f.kind()),
              psi(f),
              Html.num(f.referenceWeight()),
              Html.num(f.currentWeight())));
    }
    b.append(
        Html.table(
            List.of(
                "feature",
                "model",
                "kind",
                "PSI",
                "reference rows (weighted)",
                "current rows (weighted)"),
            rows));
    if (d.features().size() > TABLE_ROWS) {
      b.append("<p class=\"note\">")
          .append(TABLE_ROWS)
          .append(" of ")
          .append(d.features().size())
          .append(
              " features (model × feature) shown; all are in the JSON and the drift table.</p>");
    }
  }

  /** The PSI, in red above 0.25; where it has no value, why. */
  private static String psi(DriftFigures.FeatureDrift f) {
    if (Double.isFinite(f.psi())) {
      return (f.psi() > 0.25 ? "<b class=\"warn\">" : "<b>") + Html.num(f.psi()) + "</b>";
    }
    if (!(f.referenceWeight() > 0)) {
      return "– (no reference rows)";
    }
    return !(f.currentWeight() > 0) ? "– (no current rows)" : "–";
  }
}
