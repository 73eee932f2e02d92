package dev.logwait.joiner.bandit;

import static org.apache.spark.sql.functions.col;

import dev.logwait.joiner.config.RouterSpec;
import org.apache.spark.sql.Column;

/**
 * Which rows a router counts, as Spark columns over the envelope columns that {@code
 * raw_predictions} and the training tables share: the same rule for its statistics, its waiting
 * predictions and its share of traffic.
 */
final class RouterRows {
  private RouterRows() {}

  /** The row's arm: its arm column, as text. */
  static Column arm(RouterSpec r) {
    return col(r.armColumn()).cast("string");
  }

  /**
   * Rows with an arm (one of the fixed arms, where the router names them) and, for a router that
   * counts only its own choices, an {@code action} that names that arm and a {@code propensity}.
   */
  static Column chosen(RouterSpec r) {
    Column c = arm(r).isNotNull();
    if (!r.arms().isEmpty()) {
      c = c.and(arm(r).isin(r.arms().toArray()));
    }
    if (r.onlyOwnChoices()) {
      c =
          c.and(col("propensity").isNotNull())
              .and(col("action").isNotNull())
              .and(col("action").equalTo(arm(r)));
    }
    return c;
  }
}
