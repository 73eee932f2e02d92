package dev.logwait.logger.bandit;

import dev.logwait.schema.LogwaitSchemas;
import dev.logwait.schema.MalformedMessageException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A router's per-arm reward statistics as the joiner publishes them ({@code router_posterior.avsc},
 * {@link LogwaitSchemas#routerPosterior()}): one single-object encoded Avro message per
 * publication, on a compacted topic keyed by the router's name. A router turns them into posteriors
 * ({@link RewardKind}). Tests and services that fetch posteriors another way build them here and
 * hand them to {@link Router#update(RouterPosterior)}.
 *
 * @param router the router's name (the topic's key)
 * @param publishedAt when the joiner published them; a router older than its {@link
 *     RouterBuilder#maxPosteriorAge maximum age} by this time uses its fallback weights
 * @param trainingTable the training table the statistics come from
 * @param trainingSnapshot the training table's snapshot they cover exactly
 * @param labelWatermark labels are final through this time in that snapshot, or null
 * @param reward the label spec whose value is the reward
 * @param rewardKind BINARY or NUMERIC
 * @param priorAlpha the Beta prior's alpha (BINARY)
 * @param priorBeta the Beta prior's beta (BINARY)
 * @param halfLifeSeconds the decay of older rows' weights, or null for none
 * @param arms one entry per arm with rows or waiting predictions
 */
public record RouterPosterior(
    String router,
    Instant publishedAt,
    String trainingTable,
    long trainingSnapshot,
    Instant labelWatermark,
    String reward,
    RewardKind rewardKind,
    double priorAlpha,
    double priorBeta,
    Double halfLifeSeconds,
    List<ArmStatistics> arms) {
  /**
   * Checks that the required fields are there and copies the arms.
   *
   * @param router the router's name
   * @param publishedAt when the joiner published them
   * @param trainingTable the training table
   * @param trainingSnapshot the training table's snapshot
   * @param labelWatermark labels are final through this time, or null
   * @param reward the label spec whose value is the reward
   * @param rewardKind BINARY or NUMERIC
   * @param priorAlpha the Beta prior's alpha
   * @param priorBeta the Beta prior's beta
   * @param halfLifeSeconds the decay's half-life, or null
   * @param arms the arms' statistics
   */
  public RouterPosterior {
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(publishedAt, "publishedAt");
    Objects.requireNonNull(trainingTable, "trainingTable");
    Objects.requireNonNull(reward, "reward");
    Objects.requireNonNull(rewardKind, "rewardKind");
    arms = List.copyOf(arms);
  }

  /**
   * Statistics for a router with the default prior Beta(1, 1) and no decay, published now: for
   * tests and examples.
   *
   * @param router the router's name
   * @param rewardKind BINARY or NUMERIC
   * @param arms the arms' statistics
   * @return the posterior statistics
   */
  public static RouterPosterior of(String router, RewardKind rewardKind, ArmStatistics... arms) {
    return new RouterPosterior(
        router, Instant.now(), "", 0L, null, "reward", rewardKind, 1.0, 1.0, null, List.of(arms));
  }

  /**
   * The same statistics, published at another time.
   *
   * @param at the publication time
   * @return a copy
   */
  public RouterPosterior publishedAt(Instant at) {
    return new RouterPosterior(
        router,
        at,
        trainingTable,
        trainingSnapshot,
        labelWatermark,
        reward,
        rewardKind,
        priorAlpha,
        priorBeta,
        halfLifeSeconds,
        arms);
  }

  /**
   * The single-object encoded Avro message the joiner publishes for these statistics.
   *
   * @return header and body, with the current schema's fingerprint
   */
  public byte[] encode() {
    return PosteriorCodec.encode(this);
  }

  /**
   * Reads a published message, with any released version of the schema.
   *
   * @param message a whole message
   * @return the statistics it carries
   * @throws MalformedMessageException naming what is wrong ({@code UNKNOWN_FINGERPRINT} for a
   *     schema this library does not know); never another exception for bad bytes
   */
  public static RouterPosterior decode(byte[] message) {
    return PosteriorCodec.decode(message);
  }
}
