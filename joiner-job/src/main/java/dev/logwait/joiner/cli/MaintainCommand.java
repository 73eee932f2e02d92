package dev.logwait.joiner.cli;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.Durations;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.upkeep.Maintenance;
import dev.logwait.joiner.upkeep.Upkeep;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code joiner maintain}: compaction and snapshot expiry that keep what readers need. */
@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = {
      "Compact small files (Iceberg's rewrite_data_files) and expire old snapshots"
          + " (expire_snapshots) in every table, never a snapshot a trainer's cursor or a"
          + " backfill still reads from. Safe beside running joiners: a compaction adds a"
          + " rewrite snapshot that changes no row, and runs read their positions through it.",
      "With discard-after set in the configuration, first discards what every trainer has read"
          + " and is older than that (as the discard command does)."
    })
final class MaintainCommand implements Callable<Integer> {
  @Mixin JoinerMain.ConfigOptions options;

  @Option(names = "--older-than", description = "Expire snapshots older than this (default 7d).")
  String olderThan = "7d";

  @Option(names = "--retain-last", description = "Keep at least this many per table (default 5).")
  int retainLast = 5;

  @Option(names = "--no-compaction", description = "Only expire snapshots.")
  boolean noCompaction;

  @Override
  public Integer call() {
    if (retainLast < 1) {
      throw new ConfigException("--retain-last must be at least 1, was " + retainLast);
    }
    Maintenance m =
        new Maintenance(Durations.parse("--older-than", olderThan), retainLast, !noCompaction);
    JoinerConfig config = options.load();
    try (JobContext ctx = JobContext.start(config)) {
      System.out.println("maintaining " + ctx.tables.namespace() + ":");
      Upkeep.run(ctx.spark, config, ctx.tables, m, System.out);
    }
    return 0;
  }
}
