package dev.logwait.tools;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The demo's day served by a fine-tuned model ({@code --phase 3}): ranker_a scores with a {@link
 * TrainedModel}'s weights (its version is logged as ranker_a's), ranker_b keeps its simulated
 * scorer as the control. Clicks follow the same true rate as days 1-2 ({@link
 * DemoTraffic#trueScore}), so the report's A/B section compares a real model with the control on
 * the same ground truth. Every label is sent, with a heartbeat a day later, so the night after
 * finalizes the whole day.
 */
final class ModelDay {
  private final PredictionLogger logger;
  private final LabelLogger labels;
  private final TrainedModel model;

  ModelDay(PredictionLogger logger, LabelLogger labels, TrainedModel model) {
    this.logger = logger;
    this.labels = labels;
    this.model = model;
  }

  /**
   * Serves {@code n} requests from {@code day0} on, over one day; returns the predictions logged.
   */
  int serve(int n, long day0, long seed) {
    Random rnd = new Random(seed);
    Random explore = new Random(seed + 1);
    String[] countries = {"de", "fr", "us", "br", "jp"};
    int logged = 0;
    int clicks = 0;
    for (int i = 0; i < n; i++) {
      long servedAt = day0 + (long) ((double) i / n * DemoTraffic.DAY);
      boolean modelB = rnd.nextDouble() < 0.5;
      boolean sampledOut = modelB && rnd.nextDouble() >= 0.5;
      String user = "u" + rnd.nextInt(5_000);
      String item = "i" + rnd.nextInt(800);
      double[] f = new double[20];
      for (int k = 0; k < f.length; k++) {
        f[k] = rnd.nextGaussian();
      }
      f[0] += 0.6; // day 2's shift persists
      String country = countries[rnd.nextInt(countries.length)];
      float[] embedding = {rnd.nextFloat(), rnd.nextFloat(), rnd.nextFloat(), rnd.nextFloat()};
      double dwell = rnd.nextDouble() * 60;
      int ci = java.util.Arrays.asList(countries).indexOf(country);
      int action = Exploration.choose(explore, ci);
      double truth = DemoTraffic.trueScore(f);
      double ctr = (modelB ? 0.06 : 0.04) * (0.5 + truth) * Exploration.effect(ci, action);
      boolean click = rnd.nextDouble() < ctr;
      long delay = (long) (-Math.log(1 - rnd.nextDouble()) * 3 * DemoTraffic.MIN);
      boolean purchase = rnd.nextDouble() < 0.01; // as on days 1-2
      long purchaseDelay = (long) ((1 + rnd.nextDouble() * 19) * 60 * DemoTraffic.MIN);
      double amount = Math.round(rnd.nextDouble() * 9000) / 100.0;
      if (sampledOut) {
        continue;
      }
      Map<String, Double> values = new HashMap<>();
      for (int k = 0; k < f.length; k++) {
        values.put("f" + k, f[k]);
      }
      values.put("dwell_seconds", dwell);
      String id = String.format("pred4-%07d", i);
      Prediction p =
          logger
              .prediction(
                  DemoTraffic.V2, modelB ? "ranker_b" : "ranker_a", modelB ? "2" : model.version)
              .predictionId(id);
      for (int k = 0; k < f.length; k++) {
        p.set(k, f[k]);
      }
      p.set("country", country)
          .set("embedding", embedding)
          .set("dwell_seconds", dwell)
          .servedAtMicros(servedAt)
          .entity("user_id", user)
          .entity("item_id", item)
          .score(modelB ? truth : model.score(values))
          .action(Exploration.ACTIONS[action])
          .propensity(Exploration.propensity(ci, action))
          .recordedSampleRate(modelB ? 0.5 : 1.0);
      logger.log(p, Duration.ofMinutes(1));
      logged++;
      if (click) {
        labels.log(
            new Label("click-" + id, "click", 1.0, servedAt + delay, id, Map.of()),
            Duration.ofMinutes(1));
        clicks++;
      }
      if (purchase) {
        labels.log(
            Label.of(
                "purchase-" + id,
                "purchase",
                amount,
                servedAt + purchaseDelay,
                Map.of("user_id", user, "item_id", item)),
            Duration.ofMinutes(1));
      }
    }
    // every label partition moves past the day's longest window
    for (int i = 0; i < 16; i++) {
      labels.log(
          Label.of(
              "heartbeat-3-" + i, "heartbeat", 0, day0 + 2 * DemoTraffic.DAY, Map.of("hb", "" + i)),
          Duration.ofMinutes(1));
    }
    System.out.printf(
        "  %-12s %,d predictions (ranker_a scored by model %s), %,d clicks%n",
        "day 4", logged, model.version, clicks);
    return logged;
  }
}
