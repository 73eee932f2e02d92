package dev.logwait.joiner.bandit;

import dev.logwait.joiner.config.RouterSpec;

/**
 * A router's statistics exactly as of one snapshot of its training table: the row of {@code
 * router_state} that the next run starts from.
 *
 * @param spec what shaped the sums ({@link #specOf}): when the router's configuration changes, the
 *     sums are computed anew
 * @param labelWatermarkMicros the training snapshot's label watermark (its {@code logwait.cutoff}),
 *     which the sums are decayed to; null when the snapshot has none
 * @param recomputed whether the sums were computed from the whole table (else: the previous state
 *     plus the rows appended since)
 */
public record RouterState(
    String router,
    String trainingTable,
    long trainingSnapshot,
    Long labelWatermarkMicros,
    String spec,
    Statistics statistics,
    long committedAtMicros,
    String runId,
    boolean recomputed) {
  /** The format of {@link #specOf}; a new formula for the sums bumps it, so old state is redone. */
  static final String VERSION = "v1";

  /**
   * Everything of a router's configuration that shapes its sums (the prior does not: routers add it
   * themselves). The reward kind is included because a binary router checks every row's reward.
   */
  public static String specOf(RouterSpec r) {
    return VERSION
        + " table="
        + r.table()
        + " arm-column="
        + r.armColumn()
        + " reward="
        + r.reward()
        + " kind="
        + r.rewardKind().configName()
        + " half-life-micros="
        + r.halfLifeMicros()
        + " only-own-choices="
        + r.onlyOwnChoices()
        + " arms="
        + r.arms();
  }
}
