package dev.logwait.joiner.cli;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.metrics.StreamMetrics;
import dev.logwait.joiner.retrain.Decision;
import dev.logwait.joiner.retrain.RetrainCheck;
import dev.logwait.joiner.retrain.TriggerLog;
import dev.logwait.joiner.table.Tables;
import java.io.PrintStream;

/**
 * The retraining check between the stream's batches ({@code stream --check-every}): every training
 * table is checked as {@code check} would, the decision printed as one line and recorded in {@code
 * triggers}. A failed check is printed and tried again at its next turn; the batches go on.
 */
final class StreamCheck {
  private StreamCheck() {}

  static void run(JobContext ctx, JoinerConfig config, StreamMetrics metrics, PrintStream out) {
    java.util.List<String> training;
    try {
      training =
          ctx.tables.names().stream().filter(n -> n.startsWith(Tables.TRAINING_PREFIX)).toList();
    } catch (RuntimeException e) {
      out.printf("[stream] check failed: %s%n", StreamCommand.firstLine(e.getMessage()));
      return;
    }
    if (training.isEmpty()) {
      out.println("[stream] check: no training table yet");
      return;
    }
    for (String table : training) {
      try {
        Decision d = new RetrainCheck(ctx.spark, config, ctx.tables).check(table, null);
        TriggerLog.record(ctx.spark, ctx.tables, d, "stream");
        out.printf(
            "[stream] check %s: %s%n",
            table,
            d.retrain()
                ? "retrain: " + String.join(", ", d.holding()) + " (check_id " + d.checkId() + ")"
                : "no condition holds");
        if (metrics != null) {
          metrics.decision(d.retrain(), d.holding());
        }
      } catch (ConfigException e) {
        throw e; // the same configuration would fail every check
      } catch (RuntimeException e) {
        out.printf(
            "[stream] check of %s failed: %s%n", table, StreamCommand.firstLine(e.getMessage()));
      }
    }
  }
}
