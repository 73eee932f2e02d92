package dev.logwait.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Conditions on one logged prediction, each narrowing the candidates; a condition that leaves none
 * fails, naming every condition so far and showing what was logged.
 */
public final class PredictionAssert {
  private final List<LoggedPrediction> all;
  private List<LoggedPrediction> matching;
  private final List<String> conditions = new ArrayList<>();

  PredictionAssert(List<LoggedPrediction> all) {
    this.all = all;
    this.matching = all;
  }

  /**
   * Logged for this model.
   *
   * @param model the model name
   * @return this
   */
  public PredictionAssert forModel(String model) {
    return where("for model " + model, p -> model.equals(p.modelName()));
  }

  /**
   * Logged with this model version.
   *
   * @param version the model version
   * @return this
   */
  public PredictionAssert withModelVersion(String version) {
    return where("with model version " + version, p -> version.equals(p.modelVersion()));
  }

  /**
   * With this prediction id.
   *
   * @param id the prediction id
   * @return this
   */
  public PredictionAssert withId(String id) {
    return where("with id " + id, p -> id.equals(p.predictionId()));
  }

  /**
   * Of this feature set (any version).
   *
   * @param featureSet the feature set's name
   * @return this
   */
  public PredictionAssert ofFeatureSet(String featureSet) {
    return where("of feature set " + featureSet, p -> featureSet.equals(p.featureSet()));
  }

  /**
   * With this feature value; numbers compare by value ({@code 1} equals {@code 1.0}), vectors
   * ({@code float[]}, {@code double[]}, lists) element by element, maps by their entries.
   *
   * @param name the feature's name
   * @param value the expected value; null: the service never set it (logged as missing)
   * @return this
   */
  public PredictionAssert withFeature(String name, Object value) {
    Object expected = Values.plain(value);
    return where(
        "with feature " + name + " = " + Values.show(expected),
        p -> p.features().containsKey(name) && Values.same(p.features().get(name), expected));
  }

  /**
   * With this feature never set by the service (logged as missing, null in the joiner's tables).
   *
   * @param name the feature's name
   * @return this
   */
  public PredictionAssert withFeatureUnset(String name) {
    return where(
        "with feature " + name + " unset",
        p -> p.features().containsKey(name) && p.features().get(name) == null);
  }

  /**
   * With this entity key.
   *
   * @param key the entity key's name
   * @param value its value
   * @return this
   */
  public PredictionAssert withEntity(String key, String value) {
    return where("with entity " + key + " = " + value, p -> value.equals(p.entityKeys().get(key)));
  }

  /**
   * With this score.
   *
   * @param score the prediction's score
   * @return this
   */
  public PredictionAssert withScore(double score) {
    return where("with score " + score, p -> p.prediction() != null && p.prediction() == score);
  }

  /**
   * Without a score (the service never set it: logged as null).
   *
   * @return this
   */
  public PredictionAssert withoutScore() {
    return where("without a score", p -> p.prediction() == null);
  }

  /**
   * With this action (the arm a {@code Router} chose, or any action the service logged).
   *
   * @param action the action
   * @return this
   */
  public PredictionAssert withAction(String action) {
    return where("with action " + action, p -> action.equals(p.action()));
  }

  /**
   * With this propensity, exactly (a router's propensities are multiples of 2^-31, logged as they
   * were drawn; a pinned router's is 1.0).
   *
   * @param propensity the probability the action was chosen with
   * @return this
   */
  public PredictionAssert withPropensity(double propensity) {
    return where(
        "with propensity " + propensity,
        p -> p.propensity() != null && p.propensity() == propensity);
  }

  /**
   * Fails unless exactly one logged prediction meets the conditions.
   *
   * @return this
   */
  public PredictionAssert once() {
    if (matching.size() != 1) {
      throw new AssertionError(
          "Expected exactly one logged prediction "
              + String.join(", ", conditions)
              + " but "
              + matching.size()
              + " match:\n"
              + describe(matching));
    }
    return this;
  }

  /**
   * The one logged prediction that meets the conditions, for assertions of your own; fails, listing
   * them, when more than one does (add a condition, or use {@link #all()}).
   *
   * @return the prediction
   */
  public LoggedPrediction get() {
    once();
    return matching.get(0);
  }

  /**
   * Every logged prediction that meets the conditions.
   *
   * @return at least one, in the order they were logged
   */
  public List<LoggedPrediction> all() {
    return List.copyOf(matching);
  }

  private PredictionAssert where(String condition, Predicate<LoggedPrediction> test) {
    conditions.add(condition);
    List<LoggedPrediction> left = matching.stream().filter(test).toList();
    if (left.isEmpty()) {
      throw new AssertionError(
          "Expected a logged prediction "
              + String.join(", ", conditions)
              + ", but none of the "
              + all.size()
              + " logged matches"
              + (matching.size() < all.size()
                  ? " (" + matching.size() + " matched the conditions before the last)"
                  : "")
              + ". Logged:\n"
              + describe(matching.isEmpty() ? all : matching));
    }
    matching = left;
    return this;
  }

  static String describe(List<LoggedPrediction> predictions) {
    return predictions.stream()
            .limit(10)
            .map(
                p ->
                    "  "
                        + p.predictionId()
                        + " model="
                        + p.modelName()
                        + "/"
                        + p.modelVersion()
                        + " "
                        + p.featureSet()
                        + " v"
                        + p.featureSetVersion()
                        + " entities="
                        + p.entityKeys()
                        + " score="
                        + p.prediction()
                        + (p.action() == null ? "" : " action=" + p.action())
                        + (p.propensity() == null ? "" : " propensity=" + p.propensity())
                        + " features="
                        + p.features())
            .collect(Collectors.joining("\n"))
        + (predictions.size() > 10 ? "\n  … and " + (predictions.size() - 10) + " more" : "");
  }
}
