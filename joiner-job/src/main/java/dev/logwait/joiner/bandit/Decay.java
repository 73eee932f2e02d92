package dev.logwait.joiner.bandit;

/**
 * The decay of a router with a half-life: a row served at {@code t} weighs {@code w · 0.5^((wm − t)
 * / halfLife)} in the statistics of a training snapshot whose label watermark is {@code wm}. The
 * watermark is the snapshot's own ({@code logwait.cutoff}), never the clock, so that the statistics
 * are a function of the snapshot: sums kept at an earlier snapshot times {@link #factor}{@code
 * (wm_prev, wm)} plus the new rows decayed to {@code wm} equal the sums over every row decayed to
 * {@code wm}.
 */
final class Decay {
  private Decay() {}

  /**
   * {@code 0.5^((toMicros − fromMicros) / halfLifeMicros)}; 1 without a half-life.
   *
   * @throws IllegalArgumentException when a half-life is set and either time is unknown
   */
  static double factor(Long fromMicros, Long toMicros, Long halfLifeMicros) {
    if (halfLifeMicros == null) {
      return 1;
    }
    if (fromMicros == null || toMicros == null) {
      throw new IllegalArgumentException(
          "a decay needs both label watermarks, was " + fromMicros + " and " + toMicros);
    }
    return Math.pow(0.5, (double) (toMicros - fromMicros) / halfLifeMicros);
  }

  /** The half-life in seconds, as the posterior message states it; null without decay. */
  static Double seconds(Long halfLifeMicros) {
    return halfLifeMicros == null ? null : halfLifeMicros / 1e6;
  }
}
