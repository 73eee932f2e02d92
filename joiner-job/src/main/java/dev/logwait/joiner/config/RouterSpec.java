package dev.logwait.joiner.config;

import java.time.Duration;
import java.util.List;

/**
 * One bandit router whose per-arm reward statistics the joiner keeps and publishes
 * (docs/bandits-joiner.md).
 *
 * @param name the router's name: the key of its messages on the posteriors topic
 * @param table its training table, {@code training_<feature set>}
 * @param armColumn the envelope column that names the arm ({@code action}, {@code model_version} or
 *     {@code model_name})
 * @param reward the label spec whose value ({@code label_<reward>}) is the reward
 * @param rewardKind how the reward is read
 * @param priorAlpha the Beta prior's alpha (binary rewards)
 * @param priorBeta the Beta prior's beta (binary rewards)
 * @param halfLife older rows' weights halve every this much serving time before the label
 *     watermark; null: no decay
 * @param onlyOwnChoices count only the router's own choices: rows whose {@code action} names their
 *     arm and whose {@code propensity} is set
 * @param arms the arms counted; empty: every value the arm column takes
 */
public record RouterSpec(
    String name,
    String table,
    String armColumn,
    String reward,
    RewardKind rewardKind,
    double priorAlpha,
    double priorBeta,
    Duration halfLife,
    boolean onlyOwnChoices,
    List<String> arms) {
  /** The envelope columns an arm can be read from, in raw_predictions and training tables. */
  public static final List<String> ARM_COLUMNS = List.of("action", "model_version", "model_name");

  /**
   * Training tables are named {@code training_<feature set>} (as {@code table.Tables} names them).
   */
  static final String TRAINING_PREFIX = "training_";

  public RouterSpec {
    arms = List.copyOf(arms);
  }

  /** The feature set of {@link #table}. */
  public String featureSet() {
    return table.substring(TRAINING_PREFIX.length());
  }

  /** The training table's column that holds the reward. */
  public String rewardColumn() {
    return "label_" + reward;
  }

  /** The half-life in microseconds, or null (no decay). */
  public Long halfLifeMicros() {
    return halfLife == null ? null : java.util.concurrent.TimeUnit.MICROSECONDS.convert(halfLife);
  }
}
