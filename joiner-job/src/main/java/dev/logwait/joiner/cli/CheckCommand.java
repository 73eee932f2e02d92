package dev.logwait.joiner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.retrain.Decision;
import dev.logwait.joiner.retrain.RetrainCheck;
import dev.logwait.joiner.retrain.TriggerLog;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code joiner check}: the retraining trigger for a scheduler. Exit 10 when a condition holds, 0
 * when none does; the decision is printed and recorded in {@code triggers}.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate the retraining conditions of a training table: drift in the newest drift rows,"
          + " a label-rate change against a reference window, rows a trainer has not read."
          + " Prints which hold and why, records the decision in the triggers table.",
      "Exit codes: 10 retrain (a condition holds), 0 no condition holds, 1 failed, 2 bad usage."
    })
final class CheckCommand implements Callable<Integer> {
  @Mixin JoinerMain.ConfigOptions options;

  @Option(names = "--table", description = "Training table (default: the only one).")
  String table;

  @Option(
      names = "--trainer",
      description = "Check for this trainer's cursor, or all (default: retrain.trainer).")
  String trainer;

  @Option(names = "--format", description = "text (default) or json.")
  String format = "text";

  @Override
  public Integer call() throws Exception {
    if (!format.equals("text") && !format.equals("json")) {
      throw new ConfigException("--format: '" + format + "' is not one of text, json");
    }
    JoinerConfig config = options.load();
    try (JobContext ctx = JobContext.start(config)) {
      Decision d = new RetrainCheck(ctx.spark, config, ctx.tables).check(table, trainer);
      TriggerLog.record(ctx.spark, ctx.tables, d, "check");
      if (format.equals("json")) {
        System.out.println(new ObjectMapper().writeValueAsString(d.json()));
      } else {
        System.out.print(d.text());
      }
      return d.exitCode();
    }
  }
}
