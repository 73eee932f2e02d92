package dev.logwait.logger;

/**
 * What a {@link PredictionLogger} does with a prediction whose service left a feature or the score
 * unset (never set, or set to {@code null}). Either way it is counted, in {@link LoggerStats} and
 * Micrometer: a missing value that reads as 0.0 in training data is a silent corruption, so logwait
 * never writes one.
 */
public enum UnsetPolicy {
  /**
   * The default: log the prediction with the unset features as missing (the envelope's {@code
   * unset_features} lists their positions; the joiner's tables show null) and an unset score as
   * null; counted in {@link LoggerStats#withUnsetFeatures()} and {@link
   * LoggerStats#withoutScore()}.
   */
  LOG_AS_MISSING,

  /**
   * Refuse the prediction: {@code log} returns false and counts it in {@link
   * LoggerStats#refusedUnset()}; nothing is sent. For services whose training cannot use a row with
   * a missing value and that would rather see the count rise.
   */
  REFUSE
}
