package dev.logwait.joiner.cli;

import dev.logwait.joiner.JoinerJob;
import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.Durations;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.ingest.DataLossException;
import dev.logwait.joiner.metrics.StreamMetrics;
import dev.logwait.joiner.upkeep.Maintenance;
import dev.logwait.joiner.upkeep.Upkeep;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code joiner stream}: the continuous mode. One long-lived Spark session; every trigger runs
 * exactly what {@code run} does (same positions, windows, dedup, quarantine, {@code runs} rows), so
 * a stream and a nightly batch can take turns on the same tables. SIGTERM or SIGINT lets the batch
 * in flight finish, then the stream exits 0; a kill leaves nothing half-committed and the next
 * start resumes from the committed positions.
 */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = {
      "Run the joiner continuously: a run every --trigger in one Spark session, a progress line"
          + " per batch. SIGTERM/SIGINT: the batch in flight finishes, then exit 0."
    })
final class StreamCommand implements Callable<Integer> {
  /** The stream's upkeep keeps snapshots of the last week, as {@code maintain} does. */
  private static final Duration WEEK = Duration.ofDays(7);

  @Mixin JoinerMain.ConfigOptions options;

  @Option(
      names = "--trigger",
      description =
          "Time from one batch's start to the next (default 1m); a batch that takes"
              + " longer is followed at once.")
  String trigger = "1m";

  @Option(names = "--max-batches", description = "Stop after this many batches (default: never).")
  long maxBatches;

  @Option(
      names = "--max-failures",
      description = "Exit 1 after this many failed batches in a row (default 3).")
  int maxFailures = 3;

  @Option(
      names = "--maintain-every",
      description =
          "Run maintain (and the discard-after policy) between batches this often, e.g. 1h"
              + " (default: never; run the maintain command from a scheduler instead).")
  String maintainEvery;

  @Option(
      names = "--check-every",
      description =
          "Evaluate the retraining conditions (as the check command does) after a batch this"
              + " often, e.g. 10m; each decision is printed and recorded in the triggers table"
              + " (default: never).")
  String checkEvery;

  @Option(
      names = "--metrics-port",
      description =
          "Serve Prometheus metrics on http://<host>:PORT/metrics while the stream runs"
              + " (default: none).")
  Integer metricsPort;

  private final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() {
    Duration every = Durations.parse("--trigger", trigger);
    if (every.compareTo(Trigger.MINIMUM) < 0) {
      throw new ConfigException(
          "--trigger "
              + trigger
              + " is shorter than the minimum of "
              + Trigger.MINIMUM.toSeconds()
              + " s: a batch's own fixed cost is about a second, so a shorter trigger only runs"
              + " batches back to back (and freshness is bounded by the label windows anyway)");
    }
    if (maxFailures < 1) {
      throw new ConfigException("--max-failures must be at least 1, was " + maxFailures);
    }
    Duration checkInterval =
        checkEvery == null ? null : Durations.parse("--check-every", checkEvery);
    if (checkInterval != null && checkInterval.isZero()) {
      throw new ConfigException("--check-every must be longer than 0");
    }
    if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
      throw new ConfigException("--metrics-port must be a port (0 to 65535), was " + metricsPort);
    }
    Duration upkeepEvery =
        maintainEvery == null ? null : Durations.parse("--maintain-every", maintainEvery);
    if (upkeepEvery != null && upkeepEvery.isZero()) {
      throw new ConfigException("--maintain-every must be longer than 0");
    }
    JoinerConfig config = options.load();
    Signals.onTermOrInt(
        () -> {
          if (stop.getCount() == 0) {
            System.err.println("[stream] second signal: exiting at once");
            Runtime.getRuntime().halt(143);
          }
          System.err.println("[stream] signal: stopping after the batch in flight");
          stop.countDown();
        });
    PrintStream out = System.out;
    try (StreamMetrics metrics = metricsPort == null ? null : StreamMetrics.serve(metricsPort);
        JobContext ctx = JobContext.start(config)) {
      out.printf(
          "[stream] started: a batch every %s; SIGTERM stops after the batch in flight%n", trigger);
      if (metrics != null) {
        out.printf("[stream] metrics on http://0.0.0.0:%d/metrics%n", metrics.port());
      }
      long checkDue = System.nanoTime(); // after the first batch, then every --check-every
      long batch = 0;
      int failures = 0;
      long upkeepDue = System.nanoTime(); // after the first batch, then every --maintain-every
      while (stop.getCount() > 0 && (maxBatches == 0 || batch < maxBatches)) {
        long started = System.nanoTime();
        batch++;
        try {
          JoinerJob.Summary s =
              JoinerJob.run(ctx.spark, config, JoinerJob.Command.RUN, false, quiet(out));
          out.println(BatchLine.of(batch, s));
          if (metrics != null) {
            metrics.batch(s.counts(), s.watermarkMicros(), s.millis());
          }
          failures = 0;
        } catch (ConfigException | DataLossException e) {
          throw e; // nothing a later batch could change
        } catch (RuntimeException e) {
          failures++;
          if (metrics != null) {
            metrics.failedBatch((System.nanoTime() - started) / 1_000_000);
          }
          out.printf(
              "[stream] batch %d failed (%d in a row): %s%n",
              batch, failures, firstLine(e.getMessage()));
          if (failures >= maxFailures) {
            out.printf("[stream] %d failed batches in a row: stopping%n", failures);
            return 1;
          }
        }
        if (upkeepEvery != null && System.nanoTime() - upkeepDue >= 0) {
          upkeepDue = System.nanoTime() + upkeepEvery.toNanos();
          boolean ok = upkeep(ctx, config, batch, out);
          if (metrics != null) {
            metrics.upkeep(ok);
          }
        }
        if (checkInterval != null && System.nanoTime() - checkDue >= 0) {
          checkDue = System.nanoTime() + checkInterval.toNanos();
          StreamCheck.run(ctx, config, metrics, out);
        }
        long waitNanos = Trigger.waitNanos(started, System.nanoTime(), every);
        try {
          if (stop.await(waitNanos, TimeUnit.NANOSECONDS)) {
            break;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      out.printf("[stream] stopped after %d batches at %s%n", batch, Instant.now());
    }
    return 0;
  }

  /** Maintain between batches; a failed upkeep is reported and tried again at its next turn. */
  private static boolean upkeep(JobContext ctx, JoinerConfig config, long batch, PrintStream out) {
    out.printf("[stream] upkeep after batch %d:%n", batch);
    try {
      Upkeep.run(ctx.spark, config, ctx.tables, new Maintenance(WEEK, 5, true), out);
      return true;
    } catch (RuntimeException e) {
      out.printf("[stream] upkeep failed: %s%n", firstLine(e.getMessage()));
      return false;
    }
  }

  /** The runs' own progress lines go to standard error; the stream prints one line per batch. */
  private static PrintStream quiet(PrintStream out) {
    return "true".equals(System.getProperty("logwait.stream.verbose")) ? out : System.err;
  }

  static String firstLine(String message) {
    String m = String.valueOf(message);
    int nl = m.indexOf('\n');
    return nl > 0 ? m.substring(0, nl) : m;
  }
}
