package dev.logwait.joiner.cli;

import dev.logwait.joiner.config.Durations;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.upkeep.Discard;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code joiner discard}: delete what every trainer has read, and remove its files. */
@Command(
    name = "discard",
    mixinStandardHelpOptions = true,
    description = {
      "Delete training rows (and their raw predictions) that every trainer with a cursor on the"
          + " table has read and that were served before --older-than, then expire the snapshots"
          + " before the deletion so that their files are removed. Rows a trainer has not read"
          + " are kept, and the trainer named. Recorded in runs."
    })
final class DiscardCommand implements Callable<Integer> {
  @Mixin JoinerMain.ConfigOptions options;

  @Option(names = "--table", description = "Training table (default: the only one).")
  String table;

  @Option(
      names = "--older-than",
      required = true,
      description = "Only rows served longer ago than this (e.g. 30d).")
  String olderThan;

  @Override
  public Integer call() {
    var retention = Durations.parse("--older-than", olderThan);
    JoinerConfig config = options.load();
    try (JobContext ctx = JobContext.start(config)) {
      Discard.run(ctx.spark, config, table, retention, System.out);
    }
    return 0;
  }
}
