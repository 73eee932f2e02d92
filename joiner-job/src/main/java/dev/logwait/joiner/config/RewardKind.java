package dev.logwait.joiner.config;

import java.util.Locale;

/**
 * How a router's reward is read (the {@code reward_kind} of {@code router_posterior.avsc}): a
 * {@link #BINARY} reward lies in [0, 1] and gets a Beta posterior; a {@link #NUMERIC} one is any
 * real number and gets a Normal posterior of its mean.
 */
public enum RewardKind {
  BINARY,
  NUMERIC;

  static RewardKind parse(String key, String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException(
          key + ": '" + text + "' is not a reward kind; use binary or numeric");
    }
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
