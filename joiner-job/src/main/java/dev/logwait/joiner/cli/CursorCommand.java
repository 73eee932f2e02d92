package dev.logwait.joiner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.lineage.TrainerLineage;
import dev.logwait.joiner.trainer.Ancestry;
import dev.logwait.joiner.trainer.BatchExport;
import dev.logwait.joiner.trainer.Cursor;
import dev.logwait.joiner.trainer.TrainingData;
import java.nio.file.Path;
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
    @Option(names = "--trainer", description = "The trainer's name (required).")
    String name;

    /** The trainer's name; picocli cannot require it for commit, which may take it from --batch. */
    String required() {
      if (name == null || name.isBlank()) {
        throw new ConfigException("--trainer: name the trainer whose cursor this is");
      }
      return name;
    }

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

    @Option(
        names = "--export",
        paramLabel = "DIR",
        description =
            "Also write the batch's rows as Avro files under DIR (new or empty) with a"
                + " manifest.json; commit it with commit --batch DIR/manifest.json.")
    java.nio.file.Path export;

    @Override
    public Integer call() throws Exception {
      if (!format.equals("text") && !format.equals("json")) {
        throw new ConfigException("--format: '" + format + "' is not one of text, json");
      }
      String trainer = which.required();
      JoinerConfig config = options.load();
      try (JobContext ctx = JobContext.start(config)) {
        TrainingData.Batch b = new TrainingData(ctx.spark, config).since(trainer, which.table);
        if (export != null) {
          return export(config, ctx, b);
        }
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

    private int export(JoinerConfig config, JobContext ctx, TrainingData.Batch b)
        throws java.io.IOException {
      Map<String, Object> m = BatchExport.write(b, ctx.tables.name(b.table()), export);
      if (b.toSnapshot() != null && !b.empty()) {
        TrainerLineage.started(
            config,
            (String) m.get("batch_id"),
            b.trainer(),
            b.table(),
            java.time.Instant.parse((String) m.get("exported_at")));
      }
      Path manifest = export.toAbsolutePath().normalize().resolve("manifest.json");
      if (format.equals("json")) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.keySet()
            .retainAll(
                java.util.List.of(
                    "trainer",
                    "table",
                    "from_snapshot_exclusive",
                    "to_snapshot",
                    "rows",
                    "labels_final_through",
                    "batch_id"));
        out.put("manifest", manifest.toString());
        System.out.println(new ObjectMapper().writeValueAsString(out));
      } else {
        System.out.printf(
            "trainer %s on %s: %,d rows exported to %s (batch %s)%n"
                + "after training: scripts/joiner cursor commit --batch %s --model-version"
                + " <version> [--base-model <version>]%n",
            b.trainer(),
            m.get("table"),
            (Long) m.get("rows"),
            manifest,
            m.get("batch_id"),
            manifest);
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
        paramLabel = "SNAPSHOT|none",
        description = "from_snapshot_exclusive of 'next' ('none' for a first read).")
    String after;

    @Option(names = "--snapshot", description = "to_snapshot of 'next'.")
    Long snapshot;

    @Option(
        names = "--batch",
        paramLabel = "MANIFEST",
        description =
            "The manifest.json of 'next --export' instead of --trainer, --table, --after and"
                + " --snapshot: commits exactly that batch (its range and row count are checked).")
    Path batch;

    @Option(names = "--model-version", required = true, description = "The model produced.")
    String modelVersion;

    @Option(names = "--base-model", description = "The model it was fine-tuned from.")
    String baseModel;

    @Override
    public Integer call() {
      BatchExport.Manifest m = batch == null ? null : BatchExport.Manifest.read(batch);
      if (m != null) {
        if (after != null || snapshot != null) {
          throw new ConfigException(
              "--batch names the snapshots itself: leave out --after and --snapshot");
        }
        if (which.name != null && !which.name.equals(m.trainer())) {
          throw new ConfigException(
              "--trainer " + which.name + ": the batch was read by trainer " + m.trainer());
        }
      } else if (after == null || snapshot == null) {
        throw new ConfigException(
            "commit needs --batch MANIFEST, or --trainer, --after and --snapshot from 'next'");
      }
      String trainer = m != null ? m.trainer() : which.required();
      Long afterSnapshot = m != null ? m.after() : afterSnapshot(after);
      long to = m != null ? m.to() : snapshot;
      JoinerConfig config = options.load();
      try (JobContext ctx = JobContext.start(config)) {
        TrainingData data = new TrainingData(ctx.spark, config);
        String training = data.training(m != null ? m.table() : which.table);
        Cursor c =
            data.commit(
                trainer,
                training,
                afterSnapshot,
                to,
                modelVersion,
                baseModel,
                m == null ? null : m.rows());
        TrainerLineage.committed(config, m == null ? null : m.batchId(), c);
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

    @Option(
        names = "--lineage",
        paramLabel = "MODEL",
        description =
            "Only MODEL's ancestry: each model, its base, the snapshot range and rows it was"
                + " trained on.")
    String lineage;

    @Override
    public Integer call() {
      JoinerConfig config = options.load();
      try (JobContext ctx = JobContext.start(config)) {
        java.util.List<Cursor> all = new TrainingData(ctx.spark, config).history();
        if (lineage != null) {
          System.out.print(Ancestry.text(Ancestry.of(lineage, all)));
          return 0;
        }
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
