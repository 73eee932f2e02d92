package dev.logwait.joiner.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations written as {@code 500ms}, {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}, up
 * to {@link #MAX} (ten years): longer ones are refused, naming the key, so that no window, lateness
 * or skew can overflow the microsecond arithmetic of a join.
 */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  /** The longest duration any key accepts. */
  public static final Duration MAX = Duration.ofDays(3650);

  private Durations() {}

  public static Duration parse(String key, String text) {
    Matcher m = text == null ? null : FORMAT.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new ConfigException(
          key + ": '" + text + "' is not a duration; write e.g. 500ms, 90s, 30m, 24h or 7d");
    }
    Duration d;
    try {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
    } catch (NumberFormatException | ArithmeticException e) {
      d = null; // beyond what a long or a Duration holds: longer than MAX anyway
    }
    if (d == null || d.compareTo(MAX) > 0) {
      throw new ConfigException(
          key + ": '" + text + "' is longer than the longest duration allowed, 3650d (ten years)");
    }
    return d;
  }
}
