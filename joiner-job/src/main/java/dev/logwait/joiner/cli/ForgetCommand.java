package dev.logwait.joiner.cli;

import dev.logwait.joiner.config.Durations;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.erasure.Forget;
import dev.logwait.joiner.erasure.Subjects;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code joiner forget}: erase a person from every table and snapshot, and keep them out. */
@Command(
    name = "forget",
    mixinStandardHelpOptions = true,
    description = {
      "Erase every row about the given people (data subjects) from every logwait table —"
          + " raw_predictions, raw_labels, quarantine, training and backfill tables — and from"
          + " every snapshot that could still read them (cursors, backfills, branches and tags"
          + " do not protect them), delete the files, keep no value in metadata bounds, and drop"
          + " messages about them that arrive later. Trainers' cursors and unfinished backfills"
          + " go on where they were. Recorded in runs without the identifiers.",
      "Subjects: --entity key=value (an entity key the logger records, e.g. user_id=u123; or"
          + " prediction_id=<id> for one prediction), repeatable, and/or --from-file with one"
          + " key=value per line."
    })
final class ForgetCommand implements Callable<Integer> {
  @Mixin JoinerMain.ConfigOptions options;

  @Option(names = "--entity", paramLabel = "KEY=VALUE", description = "A subject (repeatable).")
  List<String> entities = new ArrayList<>();

  @Option(
      names = "--from-file",
      paramLabel = "FILE",
      description = "Subjects, one key=value per line ('#' comments).")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--record-missing",
      description =
          "Record subjects no row is about as erased anyway (their later messages are dropped),"
              + " instead of refusing.")
  boolean recordMissing;

  @Option(
      names = "--orphan-grace",
      description =
          "Orphan files (of writes that never committed) younger than this are left: they may"
              + " belong to a write in flight (default 1h).")
  String orphanGrace = "1h";

  @Override
  public Integer call() {
    Subjects subjects = Subjects.parse(entities, files); // refused before Spark starts
    var grace = Durations.parse("--orphan-grace", orphanGrace);
    JoinerConfig config = options.load();
    try (JobContext ctx = JobContext.start(config)) {
      new Forget(ctx.spark, config, System.out)
          .run(subjects, new Forget.Options(recordMissing, grace));
    }
    return 0;
  }
}
