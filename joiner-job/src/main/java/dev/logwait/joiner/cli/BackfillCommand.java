package dev.logwait.joiner.cli;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.Durations;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.join.Backfill;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code joiner backfill}: a new training table from the raw tables, with the configured specs. */
@Command(
    name = "backfill",
    mixinStandardHelpOptions = true,
    description = {
      "Build a table of training rows from raw_predictions and raw_labels with the configuration's"
          + " label specs (new or changed ones included), for a serving-time range, by the"
          + " incremental join's rules. Resumable: run it again with the same arguments after a"
          + " failure and it continues after the last committed chunk."
    })
final class BackfillCommand implements Callable<Integer> {
  @Mixin JoinerMain.ConfigOptions options;

  @Option(
      names = "--feature-set",
      description = "Feature set to backfill (default: the only one in raw_predictions).")
  String featureSet;

  @Option(names = "--into", description = "Target table (default: backfill_<feature set>).")
  String into;

  @Option(
      names = "--from",
      description = "Earliest serving time, inclusive, ISO-8601 (default: the earliest stored).")
  String from;

  @Option(
      names = "--to",
      description =
          "Latest serving time, exclusive, ISO-8601 (default and at most: what the label"
              + " watermark finalizes).")
  String to;

  @Option(names = "--chunk", description = "Serving time per commit, e.g. 1d, 6h (default 1d).")
  String chunk = "1d";

  @Override
  public Integer call() {
    Duration c = Durations.parse("--chunk", chunk);
    if (c.isZero()) {
      throw new ConfigException("--chunk: must be longer than zero");
    }
    java.time.Instant fromTime = RequeueCommand.instant("--from", from);
    java.time.Instant toTime = RequeueCommand.instant("--to", to);
    if (fromTime != null && toTime != null && !fromTime.isBefore(toTime)) {
      throw new ConfigException(
          "--from " + fromTime + " is not before --to " + toTime + ": the range is empty");
    }
    Backfill.Options o = new Backfill.Options(featureSet, into, fromTime, toTime, c);
    JoinerConfig config = options.load();
    try (JobContext ctx = JobContext.start(config)) {
      Backfill.Summary s = new Backfill(ctx.spark, config, System.out).run(o);
      System.out.printf(
          "backfill %s: %,d rows written, %,d in all, %d of %d chunks written by this run, %.1f s%n",
          s.table(),
          s.rowsWritten(),
          s.rowsTotal(),
          s.chunksWritten(),
          s.chunks(),
          s.millis() / 1e3);
    }
    return 0;
  }
}
