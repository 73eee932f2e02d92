package dev.logwait.joiner.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retraining rules on plain values, and their thresholds as the configuration sets them. */
class ConditionsTest {
  static final Thresholds T = Thresholds.of(JoinerConfig.defaults());
  static final Instant REPORT = Instant.parse("2026-11-04T00:00:00Z");

  @Test
  void defaultsAreTheRuleOfThumbs() {
    assertThat(T.maxPsi()).isEqualTo(0.25);
    assertThat(T.moderatePsi()).isEqualTo(0.1);
    assertThat(T.moderateFeatures()).isEqualTo(3);
    assertThat(T.labelRateChange()).isEqualTo(0.2);
    assertThat(T.minNewRows()).isEqualTo(10_000);
    assertThat(T.currentWindow()).isEqualTo(Duration.ofDays(1));
    assertThat(T.referenceWindow()).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void driftHoldsAboveTheSignificantBandOrOnSeveralModerateFeatures() {
    Condition one = Conditions.drift("t", report(0.31, 0.02), null, T);
    assertThat(one.holds()).isTrue();
    assertThat(one.value()).isEqualTo(0.31);
    assertThat(one.reason()).contains("max PSI 0.310 (m f0) > 0.25", "1 feature above 0.1 (< 3)");

    assertThat(Conditions.drift("t", report(0.25, 0.2), null, T).holds()).isFalse(); // not above
    Condition moderate = Conditions.drift("t", report(0.2, 0.15, 0.11), null, T);
    assertThat(moderate.holds()).isTrue();
    assertThat(moderate.reason()).contains("3 features above 0.1 (>= 3)");
    assertThat(Conditions.drift("t", report(0.2, 0.15, 0.1), null, T).holds())
        .as("0.1 itself is not above the moderate band's start")
        .isFalse();
  }

  @Test
  void driftTheTrainerTrainedOnSinceTheReportDoesNotHoldAgain() {
    Condition after = Conditions.drift("t", report(0.5), REPORT.plusSeconds(60), T);
    assertThat(after.holds()).isFalse();
    assertThat(after.reason()).contains("the trainer committed after it", "already trained on");
    assertThat(Conditions.drift("t", report(0.5), REPORT.minusSeconds(60), T).holds()).isTrue();
  }

  @Test
  void noDriftRowsIsNoDrift() {
    Condition none = Conditions.drift(null, null, null, T);
    assertThat(none.holds()).isFalse();
    assertThat(none.reason()).contains("`report` writes them");
    Condition nan =
        Conditions.drift(
            null,
            new Conditions.DriftReport(
                "r", REPORT, List.of(new Conditions.FeatureDrift("m", "x", Double.NaN))),
            null,
            T);
    assertThat(nan.holds()).isFalse();
    assertThat(nan.reason()).contains("no PSI");
  }

  @Test
  void aLabelRateChangeMustBeLargeAndSignificant() {
    // 4% -> 6% over 20k rows each: +50%, z about 9
    Condition big =
        Conditions.labelRate(
            "t", "label_click", binary(0.06, 20_000), binary(0.04, 20_000), true, T);
    assertThat(big.holds()).isTrue();
    assertThat(big.value()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(big.reason()).contains("label_click: 0.0400 -> 0.0600 (+50.0%");

    // the same change over 200 rows each is noise (z about 1.3)
    assertThat(
            Conditions.labelRate("t", "label_click", binary(0.06, 200), binary(0.04, 200), true, T)
                .holds())
        .isFalse();
    // significant but small: 4.0% -> 4.4% over a million rows (+10%, z about 14)
    Condition small =
        Conditions.labelRate(
            "t", "label_click", binary(0.044, 1_000_000), binary(0.04, 1_000_000), true, T);
    assertThat(small.holds()).isFalse();
    assertThat(small.reason()).contains("+10.0%", "holds above 20% and |z| 3");
    // a drop counts as much as a rise
    assertThat(
            Conditions.labelRate(
                    "t", "label_click", binary(0.02, 20_000), binary(0.04, 20_000), true, T)
                .holds())
        .isTrue();
  }

  @Test
  void aLabelRateChangeTheTrainerHasReadEverythingOfDoesNotHold() {
    Condition read =
        Conditions.labelRate(
            "t", "label_click", binary(0.06, 20_000), binary(0.04, 20_000), false, T);
    assertThat(read.holds()).isFalse();
    assertThat(read.reason()).contains("already trained on");
  }

  @Test
  void aLabelRateNeedsRowsOnBothSides() {
    Condition empty =
        Conditions.labelRate(
            "t",
            "label_click",
            binary(0.06, 20_000),
            Conditions.LabelWindow.ofSums(0, 0, 0, 0),
            true,
            T);
    assertThat(empty.holds()).isFalse();
    assertThat(empty.reason()).contains("too few rows", "0 in the reference");
  }

  @Test
  void weightedSumsGiveTheWeightedMeanAndVariance() {
    // values 1 (weight 2) and 0 (weight 2): mean 0.5, variance 0.25
    Conditions.LabelWindow w = Conditions.LabelWindow.ofSums(4, 2, 2, 2);
    assertThat(w.mean()).isEqualTo(0.5);
    assertThat(w.variance()).isEqualTo(0.25);
  }

  @Test
  void newRowsHoldFromTheThresholdOn() {
    assertThat(Conditions.newRows("t", 9_999, false, T).holds()).isFalse();
    Condition at = Conditions.newRows("t", 10_000, false, T);
    assertThat(at.holds()).isTrue();
    assertThat(at.reason()).isEqualTo("10,000 rows not read yet >= 10,000");
    assertThat(Conditions.newRows("t", 20_000, true, T).reason()).contains("no cursor yet");
  }

  @Test
  void aDecisionRetrainsWhenAnyConditionHolds() {
    Decision no =
        new Decision("c", REPORT, "training_x", List.of(Conditions.newRows("t", 1, false, T)));
    assertThat(no.retrain()).isFalse();
    assertThat(no.exitCode()).isZero();
    assertThat(no.text()).contains("no condition holds (exit 0)");
    Decision yes =
        new Decision(
            "c",
            REPORT,
            "training_x",
            List.of(
                Conditions.newRows("t", 1, false, T), Conditions.newRows("t", 10_000, false, T)));
    assertThat(yes.exitCode()).isEqualTo(10);
    assertThat(yes.text()).contains("RETRAIN (exit 10): new-rows (t)");
    assertThat(yes.json()).containsEntry("retrain", true).containsEntry("exit_code", 10);
  }

  @Test
  void badThresholdsAreRefusedByName() {
    assertThatThrownBy(
            () ->
                JoinerConfig.load(
                    null,
                    Map.of(
                        "retrain.drift.max-psi", "high",
                        "retrain.min-new-rows", "0",
                        "retrain.current-window", "1 week",
                        "lineage.url", "marquez:5000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("retrain.drift.max-psi: 'high' is not a number")
        .hasMessageContaining("retrain.min-new-rows: must be at least 1, was 0")
        .hasMessageContaining("retrain.current-window: '1 week' is not a duration")
        .hasMessageContaining("lineage.url: 'marquez:5000' is not off, a file:/path");
  }

  @Test
  void theTriggersAndLineageSettingsLeaveTheConfigurationHashAlone() {
    assertThat(
            JoinerConfig.load(null, Map.of("retrain.min-new-rows", "5", "lineage.url", "file:/x"))
                .hash())
        .isEqualTo(JoinerConfig.defaults().hash());
  }

  private static Conditions.DriftReport report(double... psi) {
    List<Conditions.FeatureDrift> f = new java.util.ArrayList<>();
    for (int i = 0; i < psi.length; i++) {
      f.add(new Conditions.FeatureDrift("m", "f" + i, psi[i]));
    }
    return new Conditions.DriftReport("r-1", REPORT, f);
  }

  /** A 0/1 label at rate {@code p} over {@code n} rows of weight 1. */
  private static Conditions.LabelWindow binary(double p, long n) {
    return Conditions.LabelWindow.ofSums(n, p * n, p * n, n);
  }
}
