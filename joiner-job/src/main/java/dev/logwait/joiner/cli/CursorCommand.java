package dev.logwait.joiner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.trainer.Cursor;
import dev.logwait.joiner.trainer.TrainingData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code joiner cursor next|commit|list}: trainer cursors from the command line. */
@Command(
    name = "cursor",
    mixinStandardHelpOptions = true,
    description =
        "Trainer cursors: what a trainer has not read yet (next), moving its cursor after"
            + " training (commit), and every commit with the models' lineage (list).",
    subcommands = {CursorCommand.Next.class, CursorCommand.Commit.class, CursorCommand.List.class})
final class CursorCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Which trainer, on which table. */
  static final class Trainer {
    @Option(names = "--trainer", required = true, description = "The trainer's name.")
    String name;

    @Option(names = "--table", description = "Training table (default: the only one).")
    String table;
  }

  @Command(
      name = "next",
      mixinStandardHelpOptions = true,
      description =
          "The rows committed since the trainer's cursor: the snapshot range, the row count and"
              + " how final the labels are. Moves nothing.")
  static final class Next implements Callable<Integer> {
    @Mixin JoinerMain.ConfigOptions options;

    @Mixin Trainer which;

    @Option(names = "--format", description = "text (default) or json (for a Python trainer).")
    String format = "text";

    @Override
    public Integer call() throws Exception {
      if (!format.equals("text") && !format.equals("json")) {
        throw new ConfigException("--format: '" + format + "' is not one of text, json");
      }
      JoinerConfig config = options.load();
      try (JobContext ctx = JobContext.start(config)) {
        TrainingData.Batch b = new TrainingData(ctx.spark, config).since(which.name, which.table);
        long rows = b.empty() ? 0 : b.rows().count();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trainer", which.name);
        out.put("table", ctx.tables.name(b.table()));
        out.put("from_snapshot_exclusive", b.fromSnapshotExclusive());
        out.put("to_snapshot", b.toSnapshot());
        out.put("rows", rows);
        out.put(
            "labels_final_through", b.finalThrough() == null ? null : b.finalThrough().toString());
        if (format.equals("json")) {
          System.out.println(new ObjectMapper().writeValueAsString(out));
        } else {
          System.out.printf(
              "trainer %s on %s: %,d rows %s through snapshot %s; labels final through %s%n"
                  + "after training: scripts/joiner cursor commit --trainer %s --after %s"
                  + " --snapshot %s --model-version <version> [--base-model <version>]%n",
              which.name,
              out.get("table"),
              rows,
              b.fromSnapshotExclusive() == null
                  ? "(first read: the whole table)"
                  : "after snapshot " + b.fromSnapshotExclusive(),
              b.toSnapshot(),
              out.get("labels_final_through"),
              which.name,
              b.fromSnapshotExclusive() == null ? "none" : b.fromSnapshotExclusive(),
              b.toSnapshot());
        }
      }
      return 0;
    }
  }

  @Command(
      name = "commit",
      mixinStandardHelpOptions = true,
      description =
          "Move the trainer's cursor past the batch it read and trained on (from_snapshot_exclusive"
              + " and to_snapshot of 'next'). Refused (exit 1, nothing recorded) when the cursor"
              + " moved since that batch was read.")
  static final class Commit implements Callable<Integer> {
    @Mixin JoinerMain.ConfigOptions options;

    @Mixin Trainer which;

    @Option(
        names = "--after",
        required = true,
        paramLabel = "SNAPSHOT|none",
        description = "from_snapshot_exclusive of 'next' ('none' for a first read).")
    String after;

    @Option(names = "--snapshot", required = true, description = "to_snapshot of 'next'.")
    long snapshot;

    @Option(names = "--model-version", required = true, description = "The model produced.")
    String modelVersion;

    @Option(names = "--base-model", description = "The model it was fine-tuned from.")
    String baseModel;

    @Override
    public Integer call() {
      Long afterSnapshot = afterSnapshot(after);
      JoinerConfig config = options.load();
      try (JobContext ctx = JobContext.start(config)) {
        TrainingData data = new TrainingData(ctx.spark, config);
        String training = data.training(which.table);
        Cursor c =
            data.commit(which.name, training, afterSnapshot, snapshot, modelVersion, baseModel);
        System.out.printf(
            "trainer %s: cursor on %s at snapshot %d (%,d rows; labels final through %s); model %s"
                + " from %s%n",
            c.trainer(),
            c.table(),
            c.snapshotId(),
            c.rows(),
            c.finalThrough(),
            c.modelVersion(),
            c.baseModel() == null ? "scratch" : c.baseModel());
      }
      return 0;
    }

    static Long afterSnapshot(String after) {
      if (after.equals("none")) {
        return null;
      }
      try {
        return Long.parseLong(after);
      } catch (NumberFormatException e) {
        throw new ConfigException(
            "--after: '" + after + "' is neither a snapshot id nor 'none' (a first read)");
      }
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every cursor commit, oldest first: progress and lineage.")
  static final class List implements Callable<Integer> {
    @Mixin JoinerMain.ConfigOptions options;

    @Override
    public Integer call() {
      JoinerConfig config = options.load();
      try (JobContext ctx = JobContext.start(config)) {
        java.util.List<Cursor> all = new TrainingData(ctx.spark, config).history();
        System.out.printf(
            "%-20s %-24s %20s %10s %-24s %-14s %s%n",
            "trainer", "table", "snapshot", "rows", "final through", "model", "from");
        for (Cursor c : all) {
          System.out.printf(
              "%-20s %-24s %20d %,10d %-24s %-14s %s%n",
              c.trainer(),
              c.table(),
              c.snapshotId(),
              c.rows(),
              c.finalThrough(),
              c.trained() ? c.modelVersion() : "-",
              c.trained()
                  ? (c.baseModel() == null ? "scratch" : c.baseModel())
                  : c.movedBy().equals(Cursor.ERASURE)
                      ? "(moved past an erasure; " + c.rows() + " unread rows carried)"
                      : "(moved past a deletion by " + c.movedBy() + ", no training)");
        }
        if (all.isEmpty()) {
          System.out.println("(no cursor committed yet)");
        }
      }
      return 0;
    }
  }
}
