package dev.logwait.joiner.cli;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.ingest.Requeue;
import dev.logwait.schema.MalformedMessageException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code joiner requeue}: quarantined messages decoded again, after their cause was fixed. */
@Command(
    name = "requeue",
    mixinStandardHelpOptions = true,
    description = {
      "Decode unresolved quarantined messages again (e.g. after a feature set's schema reached"
          + " the schemas topic late). Those that now decode land in the raw tables once and"
          + " their quarantine rows are marked resolved; the rest stay, counted by reason."
    })
final class RequeueCommand implements Callable<Integer> {
  @Mixin JoinerMain.ConfigOptions options;

  @Option(names = "--reason", description = "Only messages quarantined for this reason.")
  String reason;

  @Option(names = "--from", description = "Only messages quarantined at or after (ISO-8601).")
  String from;

  @Option(names = "--to", description = "Only messages quarantined before (ISO-8601).")
  String to;

  @Override
  public Integer call() {
    if (reason != null && !reasons().contains(reason)) {
      throw new ConfigException(
          "--reason: '" + reason + "' is not one of " + String.join(", ", reasons()));
    }
    Requeue.Options o = new Requeue.Options(reason, instant("--from", from), instant("--to", to));
    JoinerConfig config = options.load();
    try (JobContext ctx = JobContext.start(config)) {
      Requeue.Summary s = new Requeue(ctx.spark, config, System.out).run(o);
      System.out.printf(
          "requeue: %,d considered, %,d requeued, %,d already present, still quarantined %s%n",
          s.considered(), s.requeued(), s.alreadyPresent(), s.remaining());
    }
    return 0;
  }

  private static List<String> reasons() {
    List<String> out = new ArrayList<>();
    for (MalformedMessageException.Reason r : MalformedMessageException.Reason.values()) {
      out.add(r.name());
    }
    out.add(dev.logwait.joiner.semantics.EventTimeGuard.REASON);
    return out;
  }

  static Instant instant(String option, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          option + ": '" + value + "' is not an ISO-8601 instant; write e.g. 2026-01-01T00:00:00Z");
    }
  }
}
