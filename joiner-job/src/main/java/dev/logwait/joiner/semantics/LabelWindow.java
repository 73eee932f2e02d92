package dev.logwait.joiner.semantics;

import org.apache.spark.sql.Column;

/**
 * docs/design.md, "Waiting": a label event counts for a prediction when its key matches and {@code
 * served_at <= occurred_at < served_at + window}. An event at {@code served_at} counts; one at
 * {@code served_at + window} does not; one before serving does not. All times in microseconds.
 */
public final class LabelWindow {
  private LabelWindow() {}

  /** The rule on plain values. */
  public static boolean contains(long servedAt, long occurredAt, long windowMicros) {
    return occurredAt >= servedAt && occurredAt - servedAt < windowMicros;
  }

  /** The rule as the Spark column the join uses (both arguments in microseconds). */
  public static Column contains(Column servedAt, Column occurredAt, long windowMicros) {
    return occurredAt.geq(servedAt).and(occurredAt.lt(servedAt.plus(windowMicros)));
  }
}
