package dev.logwait.joiner.config;

import java.util.Locale;

/** How the events of one label spec inside a prediction's window become one value. */
public enum Aggregation {
  /** 1 when any event matched, else the default. */
  EXISTS,
  /** The number of events. */
  COUNT,
  SUM,
  /** The value of the earliest event. */
  FIRST,
  /** The value of the latest event. */
  LAST,
  MIN,
  MAX;

  public static Aggregation parse(String key, String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException(
          key
              + ": '"
              + text
              + "' is not an aggregation; use one of exists, count, sum, first,"
              + " last, min, max");
    }
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
