package dev.logwait.joiner.cli;

import dev.logwait.joiner.JoinerJob;
import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.ingest.DataLossException;
import dev.logwait.joiner.table.TableDdl;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code joiner
 * run|stream|ingest|join|backfill|requeue|report|cursor|check|maintain|discard|forget|status|query|config-reference}.
 */
@Command(
    name = "joiner",
    mixinStandardHelpOptions = true,
    version = "logwait joiner 0.1.0",
    description =
        "Joins logged predictions with their delayed labels into Iceberg training tables.",
    subcommands = {
      JoinerMain.RunCommand.class,
      JoinerMain.IngestCommand.class,
      JoinerMain.JoinCommand.class,
      BackfillCommand.class,
      RequeueCommand.class,
      ReportCommand.class,
      StreamCommand.class,
      CursorCommand.class,
      CheckCommand.class,
      MaintainCommand.class,
      DiscardCommand.class,
      ForgetCommand.class,
      JoinerMain.StatusCommand.class,
      JoinerMain.QueryCommand.class,
      JoinerMain.ReferenceCommand.class
    })
public final class JoinerMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Runs the CLI and returns its exit code (0 ok, 1 failed run, 2 bad usage or config; {@code
   * check}: 10 retrain).
   */
  public static int execute(String... args) {
    CommandLine cl = new CommandLine(new JoinerMain());
    cl.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof ConfigException) {
            cmd.getErr().println(e.getMessage());
            return 2;
          }
          String message = String.valueOf(e.getMessage());
          int nl = message.indexOf('\n');
          cmd.getErr()
              .println(
                  "logwait joiner failed: "
                      + (nl > 0 && nl < 2000 ? message.substring(0, nl) : message));
          if (System.getenv("LOGWAIT_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
          } else if (!(e instanceof DataLossException)) {
            cmd.getErr().println("(set LOGWAIT_DEBUG=1 for the full error and stack trace)");
          }
          cmd.getErr().println("Nothing that was committed before this run was changed.");
          return 1;
        });
    return cl.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Options every subcommand shares. */
  static final class ConfigOptions {
    @Option(names = "--config", description = "YAML configuration file (defaults: embedded).")
    Path config;

    @Option(
        names = "--set",
        description = "Override a key, e.g. --set allowed-lateness=5m (repeatable).")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--bootstrap-servers", description = "= --set kafka.bootstrap-servers=…")
    String bootstrapServers;

    @Option(names = "--warehouse", description = "= --set catalog.properties.warehouse=…")
    String warehouse;

    JoinerConfig load() {
      Map<String, String> overrides = new LinkedHashMap<>(set);
      if (bootstrapServers != null) {
        overrides.put(ConfigKey.BOOTSTRAP_SERVERS.key, bootstrapServers);
      }
      if (warehouse != null) {
        overrides.put(ConfigKey.CATALOG_PROPERTIES + "warehouse", warehouse);
      }
      JoinerConfig loaded = JoinerConfig.load(config, overrides);
      loaded.warnings().forEach(w -> System.err.println("[logwait] warning: " + w));
      return loaded;
    }
  }

  abstract static class JobCommand implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Option(
        names = "--restate",
        description =
            "Late labels of every spec rewrite the training rows they touch in this run"
                + " (= --set restate-late-labels=true).")
    boolean restate;

    @Option(
        names = "--accept-data-loss",
        description = "Proceed when offsets fell out of Kafka's retention (recorded in runs).")
    boolean acceptDataLoss;

    abstract JoinerJob.Command command();

    @Override
    public Integer call() {
      if (restate) {
        options.set.put(ConfigKey.RESTATE_LATE_LABELS.key, "true");
      }
      JoinerConfig config = options.load(); // validated before Spark starts
      try (JobContext ctx = JobContext.start(config)) {
        JoinerJob.Summary s =
            JoinerJob.run(ctx.spark, config, command(), acceptDataLoss, System.out);
        Report.print(ctx, s, System.out);
      }
      return 0;
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Ingest, then join: what the nightly job calls.")
  static final class RunCommand extends JobCommand {
    JoinerJob.Command command() {
      return JoinerJob.Command.RUN;
    }
  }

  @Command(
      name = "ingest",
      mixinStandardHelpOptions = true,
      description = "Kafka -> raw_predictions, raw_labels, quarantine, exactly once.")
  static final class IngestCommand extends JobCommand {
    JoinerJob.Command command() {
      return JoinerJob.Command.INGEST;
    }
  }

  @Command(
      name = "join",
      mixinStandardHelpOptions = true,
      description = "Finalize predictions whose label windows closed into training tables.")
  static final class JoinCommand extends JobCommand {
    JoinerJob.Command command() {
      return JoinerJob.Command.JOIN;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Tables, last runs, offsets, watermark.")
  static final class StatusCommand implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Override
    public Integer call() {
      JoinerConfig config = options.load();
      try (JobContext ctx = JobContext.start(config)) {
        new TableDdl(ctx.spark, ctx.tables).createIfMissing();
        Report.status(ctx, System.out);
      }
      return 0;
    }
  }

  @Command(
      name = "query",
      mixinStandardHelpOptions = true,
      description = "Run Spark SQL against the catalog.")
  static final class QueryCommand implements Callable<Integer> {
    @Mixin ConfigOptions options;

    @Parameters(index = "0", description = "SQL, e.g. \"SELECT * FROM logwait.logwait.runs\"")
    String sql;

    @Option(names = "--format", description = "table (default), csv or json")
    String format = "table";

    @Option(names = "--limit", description = "Rows to print at most (default 50).")
    int limit = 50;

    @Override
    public Integer call() throws Exception {
      if (!List.of("table", "csv", "json").contains(format)) {
        throw new ConfigException("--format: '" + format + "' is not one of table, csv, json");
      }
      JoinerConfig config = options.load();
      try (JobContext ctx = JobContext.start(config)) {
        String catalog = config.get(ConfigKey.CATALOG_NAME);
        String namespace = config.get(ConfigKey.NAMESPACE);
        boolean tablesExist =
            !ctx.spark
                .sql("SHOW NAMESPACES IN " + catalog)
                .filter(org.apache.spark.sql.functions.col("namespace").equalTo(namespace))
                .isEmpty();
        List<String> names = List.of();
        if (tablesExist) {
          ctx.spark.sql("USE " + catalog + "." + namespace);
          DecodedViews.register(ctx.spark, ctx.tables);
          names =
              ctx.spark
                  .sql("SHOW TABLES")
                  .select("tableName")
                  .as(org.apache.spark.sql.Encoders.STRING())
                  .collectAsList();
        }
        Dataset<Row> d;
        try {
          d = ctx.spark.sql(MetadataTables.qualify(sql, catalog, namespace, names));
        } catch (
            Exception e) { // AnalysisException is checked, though Scala code throws it undeclared
          if (!tablesExist && e instanceof org.apache.spark.sql.AnalysisException) {
            throw new IllegalStateException(
                "query: "
                    + catalog
                    + "."
                    + namespace
                    + " holds no tables yet ("
                    + e.getMessage().lines().findFirst().orElse("")
                    + "); `scripts/joiner run` creates and fills them");
          }
          throw e;
        }
        RowPrinter.printRows(d, format, limit, System.out);
      }
      return 0;
    }
  }

  @Command(
      name = "config-reference",
      mixinStandardHelpOptions = true,
      description = "Print every configuration key as Markdown.")
  static final class ReferenceCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.print(ConfigKey.reference());
      return 0;
    }
  }
}
