package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logwait.joiner.cli.JoinerMain;
import dev.logwait.logger.Label;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The evaluation report from real tables, against an oracle computed from the traffic this test
 * sends: two days of an exploring model (two versions, one sampled at 50%), clicks with known
 * delays, a numeric label, a feature that shifts on day 2, rows without a usable propensity, and a
 * candidate policy that leaves some predictions out. Then the HTML in headless Chromium: no console
 * error, every chart drawn, a screenshot kept as a build artifact.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportIT {
  static final FeatureSet FS =
      FeatureSet.builder("eval", 1)
          .addDouble("x")
          .addString("country")
          .addFloatVector("emb")
          .build();
  static final long T0 = 1_780_012_800_000_000L; // a midnight, UTC
  static final long DAY = 86_400_000_000L;
  static final long MIN = 60_000_000L;
  static final int N = 4_000;
  static final double[] CLICK = {0.1, 0.3}; // by action a, b

  /** One logged prediction as the oracle sees it. */
  record Row(
      String id,
      int day,
      String version,
      double weight,
      int action,
      Double propensity,
      double score,
      double click,
      double spend,
      boolean candidate) {}

  Scenario s;
  final List<Row> rows = new ArrayList<>();
  double clicksWithinWindow;
  double clicksWithinHorizon;
  JsonNode report;
  Path html;

  @BeforeAll
  void logJoinAndReport() throws Exception {
    s =
        new Scenario(
            "report",
            2,
            1,
            "labels:\n"
                + "  - {name: click, window: 10m, aggregation: exists, default: 0}\n"
                + "  - {name: spend, window: 1h, aggregation: sum, default: 0}\n");
    Random rnd = new Random(11);
    List<Label> labels = new ArrayList<>();
    StringBuilder policy = new StringBuilder("prediction_id,action,probability\n");
    String[] countries = {"de", "fr", "us"};
    try (PredictionLogger logger = s.predictionLogger().build()) {
      for (int i = 0; i < N; i++) {
        long servedAt = T0 + i * (2 * DAY / N);
        int day = i < N / 2 ? 1 : 2;
        boolean v2 = rnd.nextBoolean();
        boolean sampledOut = v2 && rnd.nextBoolean();
        int action = rnd.nextDouble() < 0.7 ? 0 : 1;
        double score = 0.5 * CLICK[action] + 0.15 * rnd.nextDouble();
        double x = rnd.nextGaussian() + (day == 2 ? 1.0 : 0.0);
        String country = countries[rnd.nextInt(3)];
        boolean clicked = rnd.nextDouble() < CLICK[action];
        long delay = rnd.nextInt(1200) * 1_000_000L + 500_000L; // 0-20 minutes, never on 10m
        double spend = rnd.nextDouble() < 0.2 ? 1 + rnd.nextInt(100) : 0;
        if (sampledOut) {
          continue;
        }
        String id = "p" + i;
        Double propensity =
            i % 200 == 7 ? null : i % 400 == 11 ? Double.valueOf(0) : action == 0 ? 0.7 : 0.3;
        boolean candidate = i % 250 != 3;
        Prediction p =
            logger
                .prediction(FS, "m", v2 ? "2" : "1")
                .predictionId(id)
                .servedAtMicros(servedAt)
                .set("x", x)
                .set("country", country)
                .set("emb", new float[] {(float) rnd.nextGaussian(), 1f})
                .score(score)
                .action(action == 0 ? "a" : "b")
                .recordedSampleRate(v2 ? 0.5 : 1.0);
        if (propensity != null) {
          p.propensity(propensity);
        }
        logger.log(p);
        double weight = v2 ? 2 : 1;
        if (clicked) {
          labels.add(Label.forPrediction(id, "click", 1, servedAt + delay));
          clicksWithinHorizon += weight;
          clicksWithinWindow += delay < 10 * MIN ? weight : 0;
        }
        if (spend > 0) {
          labels.add(Label.forPrediction(id, "spend", spend, servedAt + 5 * MIN));
        }
        if (candidate) {
          policy.append(id).append(",a,0.0\n").append(id).append(",b,1.0\n");
        }
        rows.add(
            new Row(
                id,
                day,
                v2 ? "2" : "1",
                weight,
                action,
                propensity,
                score,
                clicked && delay < 10 * MIN ? 1 : 0,
                spend,
                candidate));
      }
      logger.flush(Duration.ofSeconds(60));
    }
    try (var labelLogger = s.labelLogger()) {
      labels.forEach(labelLogger::log);
      labelLogger.log(
          Label.of("hb", "heartbeat", 0, T0 + 2 * DAY + 2 * 60 * MIN, Map.of("hb", "1")));
      labelLogger.flush(Duration.ofSeconds(60));
    }
    assertThat(s.run().counts()).containsEntry("finalized", (long) rows.size());
    Path policyCsv = s.dir.resolve("candidate.csv");
    Files.writeString(policyCsv, policy);
    html = s.dir.resolve("report/report.html");
    int exit =
        JoinerMain.execute(
            "report",
            "--config",
            s.configFile.toString(),
            "--policy",
            policyCsv.toString(),
            "--out",
            html.toString(),
            "--bootstrap",
            "300");
    assertThat(exit).isZero();
    report = new ObjectMapper().readTree(s.dir.resolve("report/report.json").toFile());
  }

  @Test
  void clickRateAndCoverageAreThoseOfTheTraffic() {
    JsonNode click = report.at("/health/labels/0");
    assertThat(click.path("label").asText()).isEqualTo("click");
    assertThat(click.path("coverageAtWindow").asDouble())
        .isCloseTo(clicksWithinWindow / clicksWithinHorizon, within(1e-9));
    for (JsonNode d : click.path("rateByDay")) {
      int day = d.path("day").asText().endsWith(dayOf(1)) ? 1 : 2;
      double w = 0;
      double c = 0;
      for (Row r : rows) {
        if (r.day() == day) {
          w += r.weight();
          c += r.weight() * r.click();
        }
      }
      assertThat(d.path("rate").asDouble()).isCloseTo(c / w, within(1e-9));
    }
    assertThat(click.path("rateByDay")).hasSize(2);
    assertThat(report.at("/health/runs")).isNotEmpty();
  }

  @Test
  void versionsAreComparedWithTheirWeights() {
    JsonNode click = report.at("/models/labels/0");
    assertThat(click.path("binary").asBoolean()).isTrue();
    for (JsonNode v : click.path("variants")) {
      String version = v.path("variant").asText().substring(2);
      double w = 0;
      double c = 0;
      for (Row r : rows) {
        if (r.version().equals(version)) {
          w += r.weight();
          c += r.weight() * r.click();
        }
      }
      assertThat(v.path("weightedRows").asDouble()).isEqualTo(w);
      assertThat(v.at("/mean/estimate").asDouble()).isCloseTo(c / w, within(1e-9));
      // Wilson's interval at Kish's effective sample size, computed here from the traffic
      double nEff = w * w / sumSquaredWeights(version);
      assertThat(v.path("effectiveRows").asDouble()).isCloseTo(nEff, within(1e-6));
      double[] wilson = wilson(c / w, nEff);
      assertThat(v.at("/mean/low").asDouble()).isCloseTo(wilson[0], within(1e-9));
      assertThat(v.at("/mean/high").asDouble()).isCloseTo(wilson[1], within(1e-9));
      assertThat(v.path("tooSmall").asBoolean()).isFalse();
      assertThat(v.path("auc").asDouble()).isCloseTo(exactAuc(version), within(0.005));
      assertThat(v.path("calibration")).isNotEmpty();
    }
    assertThat(click.path("differences")).hasSize(1);
    JsonNode d = click.at("/differences/0");
    assertThat(d.path("tooSmall").asBoolean()).isFalse();
    assertThat(d.path("excludesZero").isBoolean()).isTrue();
    assertThat(d.path("excludesZero").asBoolean())
        .isEqualTo(
            d.at("/difference/low").asDouble() > 0 || d.at("/difference/high").asDouble() < 0);
    assertThat(d.at("/difference/high").asDouble())
        .isGreaterThan(d.at("/difference/low").asDouble());
    JsonNode spend = report.at("/models/labels/1");
    assertThat(spend.path("binary").asBoolean()).isFalse();
    assertThat(spend.at("/variants/0/meanAbsoluteError").isNumber()).isTrue();
  }

  @Test
  void offPolicyEstimatesMatchTheOracleAndCountWhatTheyLeaveOut() {
    JsonNode p = report.path("policy");
    long violations =
        rows.stream().filter(r -> r.propensity() == null || r.propensity() == 0).count();
    long uncovered =
        rows.stream()
            .filter(r -> r.propensity() != null && r.propensity() > 0 && !r.candidate())
            .count();
    assertThat(p.path("positivityViolations").asLong()).isEqualTo(violations).isPositive();
    assertThat(p.path("withoutCandidate").asLong()).isEqualTo(uncovered).isPositive();
    double sumS = 0;
    double sumSR = 0;
    double sumSW = 0;
    double sumSWR = 0;
    double sumW = 0;
    double sumW2 = 0;
    double logS = 0;
    double logSR = 0;
    for (Row r : rows) {
      if (r.propensity() == null || r.propensity() == 0) {
        continue;
      }
      logS += r.weight();
      logSR += r.weight() * r.click();
      if (!r.candidate()) {
        continue;
      }
      double w = (r.action() == 1 ? 1.0 : 0.0) / r.propensity();
      sumS += r.weight();
      sumSR += r.weight() * r.click();
      sumSW += r.weight() * w;
      sumSWR += r.weight() * w * r.click();
      sumW += w;
      sumW2 += w * w;
    }
    // the logging policy evaluated as a candidate reproduces its observed mean reward
    assertThat(p.at("/loggingPolicy/ips/estimate").asDouble())
        .isCloseTo(logSR / logS, within(1e-9));
    assertThat(p.at("/loggingPolicy/observedReward").asDouble())
        .isCloseTo(logSR / logS, within(1e-9));
    assertThat(p.at("/candidateValue/ips/estimate").asDouble())
        .isCloseTo(sumSWR / sumS, within(1e-9));
    assertThat(p.at("/candidateValue/snips/estimate").asDouble())
        .isCloseTo(sumSWR / sumSW, within(1e-9));
    assertThat(p.at("/weights/effectiveSampleSize").asDouble())
        .isCloseTo(sumW * sumW / sumW2, within(1e-6));
    assertThat(p.at("/weights/maxWeight").asDouble()).isCloseTo(1 / 0.3, within(1e-9));
    // the candidate always shows b, so SNIPS is the weighted click rate of the rows that showed
    // b: its bootstrap interval must be about ± 1.96 standard errors of that rate (the coverage
    // of the interval over many seeds is OffPolicyTest's simulation)
    double bS = 0;
    double bS2 = 0;
    double bSR = 0;
    for (Row r : rows) {
      if (r.action() == 1 && r.candidate() && r.propensity() != null && r.propensity() > 0) {
        bS += r.weight();
        bS2 += r.weight() * r.weight();
        bSR += r.weight() * r.click();
      }
    }
    double rate = bSR / bS;
    double se = Math.sqrt(rate * (1 - rate) / (bS * bS / bS2));
    JsonNode snips = p.at("/candidateValue/snips");
    assertThat(snips.path("estimate").asDouble()).isCloseTo(rate, within(1e-9));
    assertThat(snips.path("low").asDouble()).isLessThan(rate);
    assertThat(snips.path("high").asDouble()).isGreaterThan(rate);
    assertThat((snips.path("high").asDouble() - snips.path("low").asDouble()) / 2)
        .isBetween(0.75 * 1.96 * se, 1.25 * 1.96 * se);
    assertThat(sumSR).isPositive();
  }

  @Test
  void theShiftedFeatureDriftsAndTheOthersDoNotAndTheDriftTableHasTheRows() {
    Map<String, Double> psi = new HashMap<>();
    for (JsonNode f : report.at("/drift/features")) {
      psi.put(f.path("feature").asText(), f.path("psi").asDouble());
    }
    assertThat(psi.get("x")).isGreaterThan(0.25);
    assertThat(psi.get("country")).isLessThan(0.1);
    assertThat(psi.get("emb (norm)")).isLessThan(0.1);
    assertThat(report.at("/drift/currentTo").asText()).startsWith(dayOf(2));
    long recorded =
        s.spark()
            .sql(
                "SELECT * FROM "
                    + s.table("drift")
                    + " WHERE report_id = '"
                    + report.path("reportId").asText()
                    + "'")
            .count();
    assertThat(recorded).isEqualTo(report.at("/drift/features").size()).isEqualTo(3);
  }

  @Test
  void thePageOpensInHeadlessChromiumWithEveryChartDrawn() throws Exception {
    String page = Files.readString(html);
    assertThat(page).doesNotContain("http://", "https://").contains("<svg class=\"chart\"");
    try (HeadlessChromium chromium = HeadlessChromium.start()) {
      chromium.open(html);
      JsonNode charts =
          chromium.evaluate(
              "JSON.stringify([...document.querySelectorAll('svg.chart')].map(s => ({"
                  + " chart: s.dataset.chart,"
                  + " drawn: [...s.querySelectorAll('.datum')].filter(e => {"
                  + "   const b = e.getBBox(); return b.width > 0 || b.height > 0; }).length })))");
      JsonNode list = new ObjectMapper().readTree(charts.asText());
      assertThat(list.size()).isGreaterThanOrEqualTo(10);
      for (JsonNode c : list) {
        assertThat(c.path("drawn").asInt()).as("drawn elements of " + c.path("chart")).isPositive();
      }
      assertThat(chromium.evaluate("document.querySelectorAll('svg.chart.empty').length").asInt())
          .isZero();
      Path png = Path.of("target", "report-screenshot.png");
      chromium.screenshot(png, 1280);
      assertThat(Files.size(png)).isGreaterThan(10_000);
      assertThat(chromium.errors()).isEmpty();
    }
  }

  @Test
  void theJsonIsStandardWithoutNaN() throws Exception {
    String json = Files.readString(s.dir.resolve("report/report.json"));
    assertThat(json).doesNotContain("NaN", "Infinity");
  }

  private double sumSquaredWeights(String version) {
    return rows.stream()
        .filter(r -> r.version().equals(version))
        .mapToDouble(r -> r.weight() * r.weight())
        .sum();
  }

  /** Wilson's 95% score interval of a rate {@code p} over {@code n} trials. */
  private static double[] wilson(double p, double n) {
    double z = 1.959963984540054;
    double d = 1 + z * z / n;
    double center = (p + z * z / (2 * n)) / d;
    double half = z / d * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
    return new double[] {center - half, center + half};
  }

  private static String dayOf(int day) {
    return java.time.Instant.ofEpochMilli((T0 + (day - 1) * DAY) / 1000)
        .toString()
        .substring(0, 10);
  }

  /** The weighted AUC by comparing every positive with every negative (ties half). */
  private double exactAuc(String version) {
    double pairs = 0;
    double pos = 0;
    double neg = 0;
    List<Row> v = rows.stream().filter(r -> r.version().equals(version)).toList();
    for (Row p : v) {
      if (p.click() == 1) {
        pos += p.weight();
        for (Row n : v) {
          if (n.click() == 0) {
            pairs +=
                p.weight()
                    * n.weight()
                    * (p.score() > n.score() ? 1 : p.score() == n.score() ? 0.5 : 0);
          }
        }
      } else {
        neg += p.weight();
      }
    }
    return pairs / (pos * neg);
  }
}
