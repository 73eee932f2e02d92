package dev.logwait.joiner.eval.figures;

import java.util.List;

/**
 * One bandit router, as the joiner keeps and publishes it: per arm its rows, posterior mean and 95%
 * interval, probability of being best and predictions still waiting; the state's training snapshot
 * and label watermark; when it was published and how long ago; and (in the report) each arm's share
 * of the router's traffic by day.
 *
 * @param stateSnapshot the training snapshot of the committed statistics; null: none yet
 * @param tableSnapshot the training table's current snapshot (null: no table yet); when it differs
 *     from {@code stateSnapshot}, the next run brings the statistics up to date
 * @param publishedSnapshot the training snapshot of the newest published message (null: none read)
 * @param stalenessSeconds how long ago that message was published; null when none was read
 * @param method how the posteriors are read, in words
 * @param traffic empty where not computed ({@code status})
 * @param notes what the reader should know: no state yet, a state behind the table, a state not
 *     published yet, a topic that could not be read
 */
public record RouterFigures(
    String router,
    String table,
    String armColumn,
    String reward,
    String rewardKind,
    double priorAlpha,
    double priorBeta,
    Double halfLifeSeconds,
    Long stateSnapshot,
    Long tableSnapshot,
    String labelWatermark,
    String committedAt,
    String publishedAt,
    Long publishedSnapshot,
    Double stalenessSeconds,
    String method,
    int draws,
    List<Arm> arms,
    List<TrafficDay> traffic,
    List<String> notes) {
  /**
   * One arm.
   *
   * @param weight {@code Σw} (1 / sample_rate, decayed)
   * @param posterior the posterior mean with its 95% interval (NaN bounds where there is none)
   * @param probabilityBest NaN where the arm has no posterior
   * @param waiting the router's predictions of this arm that are logged and not finalized
   */
  public record Arm(
      String arm,
      long rows,
      double weight,
      Interval posterior,
      double probabilityBest,
      long waiting) {}

  /**
   * One arm's traffic on one day of {@code served_at} (UTC): the predictions finalized and still
   * open, weighted by 1 / sample_rate, and their share of that day's weight.
   */
  public record TrafficDay(String day, String arm, long predictions, double weight, double share) {}
}
