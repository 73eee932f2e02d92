package dev.logwait.logger.bandit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of what a router did and what it routes by. Maps by arm are in the router's order.
 *
 * @param router the router's name
 * @param source what the current shares come from
 * @param shares each arm's probability of being chosen now: exactly the propensity a choice of it
 *     reports
 * @param choices choices per arm since the router started
 * @param fallbackChoices choices made with the fallback weights (no posterior, or a stale one); a
 *     subset of {@code choices}
 * @param staleFallbacks how many times the current posterior grew older than the maximum age and
 *     the router went back to its fallback weights
 * @param posteriorsReceived posterior messages under the router's key, and {@link Router#update}
 *     calls, decodable or not (other routers' messages on a shared topic are skipped unread)
 * @param posteriorsApplied posteriors that became current
 * @param posteriorsIgnored posteriors ignored, by reason (every reason present, 0 when none)
 * @param posteriorAge the current posterior's age (now minus its publication), or null when none
 *     arrived
 * @param trainingSnapshot the training snapshot the current posterior covers, or null
 * @param labelWatermark the label watermark of the current posterior, or null
 * @param waiting per arm, the router's choices still waiting for their rewards as of the current
 *     posterior (0 without one)
 * @param unknownArms arms the current posterior has statistics for that this router does not have
 *     (removed by configuration, or another deployment's): left out
 * @param readerErrors errors of the background reader (Kafka unreachable, topic missing, ...); each
 *     retried
 */
public record RouterStats(
    String router,
    Source source,
    Map<String, Double> shares,
    Map<String, Long> choices,
    long fallbackChoices,
    long staleFallbacks,
    long posteriorsReceived,
    long posteriorsApplied,
    Map<Ignored, Long> posteriorsIgnored,
    Duration posteriorAge,
    Long trainingSnapshot,
    Instant labelWatermark,
    Map<String, Long> waiting,
    List<String> unknownArms,
    long readerErrors) {

  /** What a router's current shares come from. */
  public enum Source {
    /** The fallback weights: no usable posterior has arrived yet. */
    FALLBACK_NO_POSTERIOR,
    /** The fallback weights: the newest posterior is older than the maximum age. */
    FALLBACK_STALE,
    /** The current posterior's probabilities of being best, with the floors. */
    POSTERIOR,
    /** One arm, always, with propensity 1 ({@link RouterBuilder#pin}). */
    PINNED
  }

  /** Why a posterior message was ignored. */
  public enum Ignored {
    /** Its bytes are not a router posterior (empty, bad header, body that does not decode). */
    UNDECODABLE,
    /** Its schema fingerprint is not one this library knows (a newer joiner's, or another's). */
    UNKNOWN_FINGERPRINT,
    /** It names another router. */
    OTHER_ROUTER,
    /** Its reward kind is not the router's ({@link RouterBuilder#rewardKind}). */
    REWARD_KIND,
    /** Its numbers are out of range (a negative or non-finite weight, a prior that is not > 0…). */
    INVALID
  }
}
