package dev.logwait.joiner.retrain;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The retraining rules on plain values: drift from the newest drift rows, a label's rate against a
 * reference window, and the rows a trainer has not read. Each returns a {@link Condition} saying
 * whether it holds and why.
 *
 * <p>A condition on the data holds only when retraining could answer it: drift only when the drift
 * rows are newer than the trainer's last commit (a model trained after the report has seen the
 * shifted data), a label-rate change only while the trainer has rows to read.
 */
public final class Conditions {
  public static final String DRIFT = "drift";
  public static final String LABEL_RATE = "label-rate";
  public static final String NEW_ROWS = "new-rows";

  /** One feature's drift in the newest report. */
  public record FeatureDrift(String model, String feature, double psi) {}

  /** The newest drift report of a training table: its id, when it was computed, its rows. */
  public record DriftReport(String reportId, Instant computedAt, List<FeatureDrift> features) {}

  /**
   * A label's weighted figures over one window: the sum of weights, the weighted mean and the
   * weighted variance of its values, and the number of rows.
   */
  public record LabelWindow(double weight, double mean, double variance, long rows) {
    /** From the sums a Spark aggregation gives: Σw, Σwx, Σwx², rows. */
    public static LabelWindow ofSums(double w, double wx, double wxx, long rows) {
      if (rows == 0 || w <= 0) {
        return new LabelWindow(0, Double.NaN, Double.NaN, 0);
      }
      double mean = wx / w;
      return new LabelWindow(w, mean, Math.max(0, wxx / w - mean * mean), rows);
    }
  }

  private Conditions() {}

  /**
   * Drift holds when a feature's PSI is above {@code maxPsi}, or at least {@code moderateFeatures}
   * features are above {@code moderatePsi}, in the newest report, and that report is newer than the
   * trainer's last commit ({@code trainedAt}, null: never trained).
   *
   * @param report null: no drift rows yet
   */
  public static Condition drift(
      String trainer, DriftReport report, Instant trainedAt, Thresholds t) {
    if (report == null || report.features().isEmpty()) {
      return new Condition(
          DRIFT,
          trainer,
          false,
          Double.NaN,
          t.maxPsi(),
          "no drift rows for this table yet: `report` writes them (the drift table)");
    }
    FeatureDrift top =
        report.features().stream()
            .filter(f -> !Double.isNaN(f.psi()))
            .max(Comparator.comparingDouble(FeatureDrift::psi))
            .orElse(null);
    if (top == null) {
      return new Condition(
          DRIFT,
          trainer,
          false,
          Double.NaN,
          t.maxPsi(),
          "report " + report.reportId() + " has no PSI a feature could be compared by");
    }
    long moderate = report.features().stream().filter(f -> f.psi() > t.moderatePsi()).count();
    boolean shifted = top.psi() > t.maxPsi() || moderate >= t.moderateFeatures();
    String figures =
        String.format(
            Locale.ROOT,
            "max PSI %.3f (%s %s) %s %s; %d feature%s above %s (%s %d)",
            top.psi(),
            top.model(),
            top.feature(),
            top.psi() > t.maxPsi() ? ">" : "<=",
            num(t.maxPsi()),
            moderate,
            moderate == 1 ? "" : "s",
            num(t.moderatePsi()),
            moderate >= t.moderateFeatures() ? ">=" : "<",
            t.moderateFeatures());
    String of = "report " + report.reportId() + " at " + report.computedAt();
    boolean addressed = trainedAt != null && !report.computedAt().isAfter(trainedAt);
    String reason =
        figures
            + "; "
            + of
            + (addressed && shifted
                ? "; the trainer committed after it (" + trainedAt + "): already trained on"
                : "");
    return new Condition(DRIFT, trainer, shifted && !addressed, top.psi(), t.maxPsi(), reason);
  }

  /**
   * A label's rate changed when its weighted mean over the current window differs from the
   * reference window's by more than {@code labelRateChange} of the reference, and by more than
   * {@value Thresholds#Z} standard errors; it holds while the trainer has rows to read ({@code
   * unread}).
   */
  public static Condition labelRate(
      String trainer,
      String label,
      LabelWindow current,
      LabelWindow reference,
      boolean unread,
      Thresholds t) {
    if (current.rows() < 2 || reference.rows() < 2) {
      return new Condition(
          LABEL_RATE,
          trainer,
          false,
          Double.NaN,
          t.labelRateChange(),
          String.format(
              Locale.ROOT,
              "%s: too few rows to compare (%,d in the current window, %,d in the reference)",
              label,
              current.rows(),
              reference.rows()));
    }
    double diff = current.mean() - reference.mean();
    double change =
        reference.mean() == 0
            ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY)
            : Math.abs(diff) / Math.abs(reference.mean());
    double se =
        Math.sqrt(current.variance() / current.rows() + reference.variance() / reference.rows());
    double z = se == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : diff / se;
    boolean changed = change > t.labelRateChange() && Math.abs(z) > Thresholds.Z;
    String reason =
        String.format(
            Locale.ROOT,
            "%s: %.4f -> %.4f (%s%.1f%%, z %.1f) over %,d and %,d rows; holds above %s%% and |z|"
                + " %s",
            label,
            reference.mean(),
            current.mean(),
            diff >= 0 ? "+" : "-",
            change * 100,
            z,
            reference.rows(),
            current.rows(),
            num(t.labelRateChange() * 100),
            num(Thresholds.Z));
    if (changed && !unread) {
      reason += "; the trainer has read every row: already trained on";
    }
    return new Condition(
        LABEL_RATE, trainer, changed && unread, change, t.labelRateChange(), reason);
  }

  /** At least {@code minNewRows} finalized rows the trainer has not read. */
  public static Condition newRows(String trainer, long unread, boolean firstRead, Thresholds t) {
    boolean holds = unread >= t.minNewRows();
    return new Condition(
        NEW_ROWS,
        trainer,
        holds,
        unread,
        t.minNewRows(),
        String.format(
            Locale.ROOT,
            "%,d rows %s %s %,d",
            unread,
            firstRead ? "to read (no cursor yet: the whole table)" : "not read yet",
            holds ? ">=" : "<",
            t.minNewRows()));
  }

  private static String num(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
