package dev.logwait.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.LoggerStats;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Sends JSON lines shaped like the Avro records through the real logger. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Reads JSON lines shaped like PredictionLog or LabelEvent and sends them through the real"
            + " logwait logger. Bad lines are reported by line number and skipped; the exit code is"
            + " 1 when any line was bad or any record failed to send.")
public final class Replay implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A replay is no request thread: it waits for room in the queue rather than dropping. */
  private static final Duration WAIT = Duration.ofMinutes(2);

  @Option(names = "--bootstrap-servers", required = true, description = "Kafka host:port[,…]")
  String bootstrapServers;

  @Option(names = "--topic", description = "Target topic (default: the logger's for the kind).")
  String topic;

  @Option(names = "--schemas-topic", description = "Schemas topic (default logwait-schemas).")
  String schemasTopic = dev.logwait.schema.SchemaTopic.DEFAULT_TOPIC;

  @Option(
      names = "--feature-set",
      description = "Feature-set declaration as JSON (repeatable): {name, version, fields[]}.")
  List<Path> featureSets = new ArrayList<>();

  @Option(
      names = "--producer-property",
      description = "Any Kafka producer property, e.g. security.protocol=SASL_SSL (repeatable).")
  Map<String, String> producerProps = new LinkedHashMap<>();

  @ArgGroup(multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--predictions", description = "JSON lines of predictions.")
    Path predictions;

    @Option(names = "--labels", description = "JSON lines of label events.")
    Path labels;
  }

  PrintStream out = System.out;
  PrintStream err = System.err;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Replay()).execute(args));
  }

  @Override
  @SuppressWarnings("try") // close() inside try-with-resources: the stats are read after it
  public Integer call() throws IOException {
    Map<String, FeatureSet> sets = new LinkedHashMap<>();
    for (Path p : featureSets) {
      try {
        FeatureSet fs = JsonRecords.featureSet(JSON.readTree(p.toFile()));
        sets.put(fs.name() + "/" + fs.version(), fs);
      } catch (IllegalArgumentException | JsonProcessingException e) {
        err.println(p + ": not a feature-set declaration: " + e.getMessage());
        return 2;
      }
    }
    Path file = input.predictions != null ? input.predictions : input.labels;
    if (!Files.isRegularFile(file)) {
      err.println("no such file: " + file);
      return 2;
    }
    long[] counts = new long[2]; // lines read, bad lines
    LoggerStats stats;
    if (input.predictions != null) {
      PredictionLogger.Builder b =
          PredictionLogger.builder()
              .bootstrapServers(bootstrapServers)
              .schemasTopic(schemasTopic)
              .clientId("logwait-replay")
              .producerProperties(producerProps);
      if (topic != null) {
        b.topic(topic);
      }
      try (PredictionLogger logger = b.build()) {
        sets.values().forEach(logger::register);
        eachLine(file, counts, line -> logPrediction(logger, sets, line));
        logger.flush(Duration.ofMinutes(5));
        logger.close();
        stats = logger.stats();
      }
    } else {
      LabelLogger.Builder b =
          LabelLogger.builder()
              .bootstrapServers(bootstrapServers)
              .clientId("logwait-replay")
              .producerProperties(producerProps);
      if (topic != null) {
        b.topic(topic);
      }
      try (LabelLogger logger = b.build()) {
        eachLine(file, counts, line -> logger.log(JsonRecords.label(JSON.readTree(line)), WAIT));
        logger.flush(Duration.ofMinutes(5));
        logger.close();
        stats = logger.stats();
      }
    }
    long lines = counts[0];
    long bad = counts[1];
    out.printf(
        "replayed %s: %,d lines, %,d sent, %,d failed %s, %,d bad lines skipped%n",
        file, lines, stats.sent(), stats.failed(), stats.failedBy(), bad);
    return bad > 0 || stats.failed() > 0 || stats.dropped() > 0 ? 1 : 0;
  }

  /** One JSON line's work; throws for a bad line. */
  private interface LineHandler {
    void accept(String line) throws JsonProcessingException;
  }

  /** Feeds every non-blank line to the handler; a bad line is reported by number and skipped. */
  private void eachLine(Path file, long[] counts, LineHandler handler) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        counts[0]++;
        if (line.isBlank()) {
          continue;
        }
        try {
          handler.accept(line);
        } catch (IllegalArgumentException | JsonProcessingException e) {
          counts[1]++;
          err.println(file + ":" + counts[0] + ": skipped: " + message(e));
        }
      }
    }
  }

  private void logPrediction(PredictionLogger logger, Map<String, FeatureSet> sets, String line)
      throws JsonProcessingException {
    JsonNode n = JSON.readTree(line);
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a JSON object");
    }
    logger.log(JsonRecords.prediction(logger, sets, n), WAIT);
  }

  private static String message(Exception e) {
    return e instanceof JsonProcessingException
        ? "not valid JSON (" + ((JsonProcessingException) e).getOriginalMessage() + ")"
        : e.getMessage();
  }
}
