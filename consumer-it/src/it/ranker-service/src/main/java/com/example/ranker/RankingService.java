package com.example.ranker;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.time.Instant;

/** A prediction service as a team writes it: it logs what it served, and the clicks. */
public final class RankingService {
  /** The features the ranker is served with, declared once. */
  public static final FeatureSet FEATURES =
      FeatureSet.builder("ranker", 1)
          .addDouble("price")
          .addString("country")
          .addFloatVector("embedding")
          .build();

  private final PredictionLogger predictions;
  private final LabelLogger labels;

  /**
   * A service on its loggers.
   *
   * @param predictions where predictions go
   * @param labels where clicks go
   */
  public RankingService(PredictionLogger predictions, LabelLogger labels) {
    this.predictions = predictions;
    this.labels = labels;
    predictions.register(FEATURES); // an incompatible change fails here, at start-up
  }

  /**
   * Scores an item for a user.
   *
   * @param user the user
   * @param price the item's price
   * @param country the user's country, or null when unknown (logged as missing)
   * @param embedding the user's embedding
   * @return the prediction id to return with the response; null when sampling left it out
   */
  public String rank(String user, double price, String country, float[] embedding) {
    double score = 1.0 / (1.0 + Math.exp(-price / 100.0));
    Prediction p = predictions.prediction(FEATURES, "ranker_b", "2026-11");
    p.set("price", price)
        .set("country", country)
        .set("embedding", embedding)
        .entity("user_id", user)
        .score(score);
    predictions.log(p);
    return p.predictionId();
  }

  /**
   * The user clicked what a prediction served.
   *
   * @param predictionId what {@link #rank} returned
   */
  public void clicked(String predictionId) {
    labels.log(Label.forPrediction(predictionId, "click", 1.0, Instant.now()));
  }
}
