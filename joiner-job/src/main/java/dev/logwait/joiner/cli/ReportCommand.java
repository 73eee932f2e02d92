package dev.logwait.joiner.cli;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.Durations;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.eval.Evaluation;
import dev.logwait.joiner.eval.PolicyCsv;
import dev.logwait.joiner.eval.figures.Report;
import dev.logwait.joiner.eval.figures.ReportJson;
import dev.logwait.joiner.eval.page.ReportPage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code joiner report}: the evaluation report as one HTML page and its figures as JSON. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate from a training table: join health (label rate, delays, window coverage, run"
          + " counts), models and versions (rate, log loss, AUC, calibration, differences),"
          + " off-policy evaluation of a candidate policy (IPS, SNIPS), and feature drift (also"
          + " appended to the drift table). Writes a self-contained HTML page and the same"
          + " figures as JSON beside it; --format json prints the JSON instead."
    })
final class ReportCommand implements Callable<Integer> {
  @Mixin JoinerMain.ConfigOptions options;

  @Option(
      names = "--out",
      description = "HTML file to write (default: logwait-report.html); the JSON goes beside it.")
  Path out = Path.of("logwait-report.html");

  @Option(names = "--format", description = "html (default) or json (to standard output).")
  String format = "html";

  @Option(names = "--table", description = "Training table (default: the only one).")
  String table;

  @Option(
      names = "--policy",
      description = "Candidate policy, CSV with header prediction_id,action,probability.")
  Path policy;

  @Option(names = "--policy-table", description = "Candidate policy as a table of the catalog.")
  String policyTable;

  @Option(names = "--reward", description = "Label that is the reward (default: first binary).")
  String reward;

  @Option(names = "--clip", description = "Importance weights are clipped here (default 100).")
  double clip = 100;

  @Option(
      names = "--baseline",
      description = "model or model/version the others are compared with (default: the largest).")
  String baseline;

  @Option(
      names = "--drift-current",
      description = "Latest period compared for drift, before the newest row (default 1d).")
  String driftCurrent = "1d";

  @Option(names = "--drift-reference", description = "Reference period before it (default 7d).")
  String driftReference = "7d";

  @Option(names = "--bootstrap", description = "Bootstrap replicates (default 500).")
  int replicates = 500;

  @Option(names = "--seed", description = "Bootstrap seed (default 1).")
  long seed = 1;

  @Option(names = "--no-drift-table", description = "Do not append to the drift table.")
  boolean noDriftTable;

  @Override
  public Integer call() {
    if (!format.equals("html") && !format.equals("json")) {
      throw new ConfigException("--format: '" + format + "' is not one of html, json");
    }
    if (!(clip >= 1)) {
      throw new ConfigException("--clip must be at least 1, was " + clip);
    }
    if (replicates < 50) {
      throw new ConfigException("--bootstrap must be at least 50, was " + replicates);
    }
    if (policy != null && policyTable != null) {
      throw new ConfigException("--policy and --policy-table: give one of them");
    }
    if (policy != null) {
      // before the SparkSession: a bad file is refused at once, naming its lines
      PolicyCsv.Summary checked = PolicyCsv.check(policy);
      System.err.printf(
          "[report] %s: %,d probabilities for %,d predictions%n",
          policy, checked.rows(), checked.predictions());
    }
    Evaluation.Options o =
        new Evaluation.Options(
            table,
            policy,
            policyTable,
            reward,
            clip,
            baseline,
            Durations.parse("--drift-current", driftCurrent),
            Durations.parse("--drift-reference", driftReference),
            replicates,
            seed,
            !noDriftTable);
    JoinerConfig config = options.load();
    try (JobContext ctx = JobContext.start(config)) {
      Report report = Evaluation.run(ctx.spark, config, ctx.tables, o, System.err);
      String json = ReportJson.write(report);
      if (format.equals("json")) {
        System.out.println(json);
        return 0;
      }
      Path html = out.toAbsolutePath();
      String base = html.getFileName().toString().replaceAll("\\.html?$", "");
      write(html, ReportPage.html(report, json));
      write(html.resolveSibling(base + ".json"), json);
      System.out.println("report: " + html);
      System.out.println("figures: " + html.resolveSibling(base + ".json"));
    }
    return 0;
  }

  /** Writes beside the target, then moves over it: a reader never sees half a report. */
  private static void write(Path target, String text) {
    try {
      Path dir = target.getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".report", ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
