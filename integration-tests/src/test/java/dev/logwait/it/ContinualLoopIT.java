package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.sun.net.httpserver.HttpServer;
import dev.logwait.joiner.trainer.Cursor;
import dev.logwait.joiner.trainer.TrainingData;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The continual-learning loop on real components: the example Python trainer (Debian's Python and
 * torch, in a child process) fine-tunes twice over two exported batches, the second model starting
 * from the first's weights, each row trained on once, and a crash between training and commit
 * re-reads the same rows; every joiner run and trainer commit sends OpenLineage events to a local
 * HTTP server, each valid against the spec's schema; {@code cursor list --lineage} prints the
 * chain; {@code check} exits 10 when a condition holds and 0 when none does.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class ContinualLoopIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path FINETUNE =
      Path.of("..", "trainers", "python", "finetune.py").toAbsolutePath().normalize();

  final List<JsonNode> events = new CopyOnWriteArrayList<>();
  HttpServer receiver;

  @AfterEach
  void stopReceiver() {
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  @Test
  void aPythonTrainerFineTunesTwiceWithLineageAndATrigger() throws Exception {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/api/v1/lineage",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            events.add(JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
          }
          exchange.sendResponseHeaders(201, -1);
          exchange.close();
        });
    receiver.start();
    Scenario data = new Scenario("loop", 1, 1, Traffic.LABELS);
    Scenario s =
        new Scenario(
            data,
            "l",
            "lineage:\n  url: http://127.0.0.1:"
                + receiver.getAddress().getPort()
                + "/api/v1/lineage\nretrain:\n  min-new-rows: 500\n");
    String config = s.configFile.toString();
    Path models = s.dir.resolve("models");

    Traffic.send(data, 1200, 1);
    s.run();
    Path b1 = s.dir.resolve("batch-1");
    assertThat(
            Cli.run(
                    "cursor",
                    "next",
                    "--trainer",
                    "py",
                    "--export",
                    b1.toString(),
                    "--config",
                    config)
                .exit())
        .isZero();
    JsonNode m1 = manifest(b1);
    assertThat(m1.get("rows").asLong()).isEqualTo(1200);
    assertThat(m1.get("from_snapshot_exclusive").isNull()).isTrue();
    assertThat(m1.get("features").toString())
        .contains("x0", "x9")
        .doesNotContain("label_", "weight");
    assertThat(finetune(b1, models, "m-1", null, false, config)).isZero();
    JsonNode model1 = json(models.resolve("m-1.json"));
    assertThat(model1.get("rows").asLong()).isEqualTo(1200);
    assertThat(model1.get("weights")).isNotEqualTo(model1.get("initial").get("weights"));

    Traffic.send(data, 800, 2, Traffic.T0 + 20_000 * Traffic.SEC);
    s.run();
    Path b2 = s.dir.resolve("batch-2");
    Cli.run("cursor", "next", "--trainer", "py", "--export", b2.toString(), "--config", config);
    // the trainer crashes between training and commit: the model is saved, the cursor stays
    assertThat(finetune(b2, models, "m-2", "m-1", true, config)).isZero();
    Path b2again = s.dir.resolve("batch-2-again");
    Cli.run(
        "cursor", "next", "--trainer", "py", "--export", b2again.toString(), "--config", config);
    JsonNode first = manifest(b2);
    JsonNode again = manifest(b2again);
    assertThat(again.get("from_snapshot_exclusive"))
        .isEqualTo(first.get("from_snapshot_exclusive"));
    assertThat(again.get("to_snapshot")).isEqualTo(first.get("to_snapshot"));
    assertThat(again.get("rows").asLong()).isEqualTo(800);
    List<String> crashed = ids(models.resolve("m-2.ids"));
    assertThat(finetune(b2again, models, "m-2", "m-1", false, config)).isZero();
    List<String> second = ids(models.resolve("m-2.ids"));
    assertThat(second).containsExactlyInAnyOrderElementsOf(crashed).hasSize(800);

    // the second model started from the first's weights; each row was trained on once
    JsonNode model2 = json(models.resolve("m-2.json"));
    assertThat(model2.get("initial").get("weights")).isEqualTo(model1.get("weights"));
    assertThat(model2.get("weights")).isNotEqualTo(model1.get("weights"));
    List<String> firstIds = ids(models.resolve("m-1.ids"));
    Set<String> all = new HashSet<>(firstIds);
    all.addAll(second);
    assertThat(all).hasSize(2000);
    assertThat(firstIds).allMatch(id -> id.startsWith("p1-"));
    assertThat(second).allMatch(id -> id.startsWith("p2-"));
    // the crashed run's batch cannot be committed after the other one was
    assertThat(
            Cli.run(
                    "cursor",
                    "commit",
                    "--batch",
                    b2.resolve("manifest.json").toString(),
                    "--model-version",
                    "m-2x",
                    "--config",
                    config)
                .exit())
        .isEqualTo(1);

    TrainingData td = new TrainingData(s.spark(), s.config);
    assertThat(td.history())
        .extracting(Cursor::modelVersion, Cursor::baseModel, Cursor::rows)
        .containsExactly(Tuple.tuple("m-1", null, 1200L), Tuple.tuple("m-2", "m-1", 800L));
    Cli.Result chain = Cli.run("cursor", "list", "--lineage", "m-2", "--config", config);
    assertThat(chain.out())
        .contains(
            "m-2 <- m-1: trainer py on training_traffic, snapshots after "
                + first.get("from_snapshot_exclusive").asLong(),
            "800 rows",
            "m-1 <- (scratch): trainer py on training_traffic, snapshots from the start",
            "m-2: 2 fine-tunes, 2,000 rows in all");

    // lineage: every event valid; the joiner's runs and the trainer's commits as the spec has them
    JsonSchema schema = schema();
    assertThat(events).hasSizeGreaterThanOrEqualTo(8);
    for (JsonNode e : events) {
      assertThat(schema.validate(e)).as(e.toString()).isEmpty();
    }
    // the schema does refuse what the spec refuses
    com.fasterxml.jackson.databind.node.ObjectNode broken = events.get(0).deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("run")).put("runId", "run-1");
    broken.remove("producer");
    assertThat(schema.validate(broken))
        .extracting(Object::toString)
        .anyMatch(m -> m.contains("uuid"))
        .anyMatch(m -> m.contains("producer"));
    List<JsonNode> runs = ofJob("joiner.run");
    assertThat(runs)
        .extracting(e -> e.get("eventType").asText())
        .containsExactly("START", "COMPLETE", "START", "COMPLETE");
    JsonNode run2 = runs.get(3);
    assertThat(run2.get("inputs").findValuesAsText("name")).contains(data.predictions, data.labels);
    assertThat(run2.toString()).contains("\"logwait_offsets\"", "\"to\":");
    assertThat(run2.get("outputs").findValuesAsText("name")).contains("logwait.training_traffic");
    List<JsonNode> trainer = ofJob("trainer.py");
    JsonNode m2done = trainer.get(trainer.size() - 1);
    assertThat(m2done.get("eventType").asText()).isEqualTo("COMPLETE");
    assertThat(m2done.get("run").get("runId").asText()).isEqualTo(again.get("batch_id").asText());
    assertThat(
            trainer.stream()
                .filter(
                    e -> e.get("run").get("runId").asText().equals(again.get("batch_id").asText())))
        .extracting(e -> e.get("eventType").asText())
        .containsExactly("START", "COMPLETE");
    JsonNode training = m2done.get("inputs").get(0);
    assertThat(training.get("name").asText()).isEqualTo("logwait.training_traffic");
    assertThat(training.get("facets").get("version").get("datasetVersion").asText())
        .isEqualTo(again.get("to_snapshot").asText());
    assertThat(training.get("inputFacets").get("logwait_batch").get("rowCount").asLong())
        .isEqualTo(800);
    assertThat(training.get("inputFacets").get("logwait_batch").get("afterSnapshot").asLong())
        .isEqualTo(again.get("from_snapshot_exclusive").asLong());
    assertThat(m2done.get("inputs").get(1).get("name").asText()).isEqualTo("model:m-1");
    assertThat(m2done.get("outputs").get(0).get("name").asText()).isEqualTo("model:m-2");
    assertThat(
            m2done
                .get("outputs")
                .get(0)
                .get("facets")
                .get("logwait_model")
                .get("baseModel")
                .asText())
        .isEqualTo("m-1");

    // the trigger: 600 new rows >= 500 holds (exit 10); the same with a higher bar does not (0)
    Traffic.send(data, 600, 3, Traffic.T0 + 40_000 * Traffic.SEC);
    s.run();
    // a manifest whose row count is not its batch's is refused, and so is another trainer's name
    Path b3 = s.dir.resolve("batch-3");
    Cli.run("cursor", "next", "--trainer", "py", "--export", b3.toString(), "--config", config);
    Path edited = s.dir.resolve("edited.json");
    Files.writeString(
        edited,
        Files.readString(b3.resolve("manifest.json")).replace("\"rows\" : 600", "\"rows\" : 601"));
    assertThat(Files.readString(edited)).contains("\"rows\" : 601");
    assertThat(
            Cli.run(
                    "cursor",
                    "commit",
                    "--batch",
                    edited.toString(),
                    "--model-version",
                    "m-3",
                    "--config",
                    config)
                .exit())
        .isEqualTo(1);
    assertThat(
            Cli.run(
                    "cursor",
                    "commit",
                    "--batch",
                    b3.resolve("manifest.json").toString(),
                    "--trainer",
                    "other",
                    "--model-version",
                    "m-3",
                    "--config",
                    config)
                .exit())
        .isEqualTo(2);
    assertThat(td.history()).hasSize(2); // nothing was committed
    Cli.Result retrain =
        Cli.run("check", "--trainer", "py", "--format", "json", "--config", config);
    assertThat(retrain.exit()).isEqualTo(10);
    JsonNode decision =
        JSON.readTree(
            retrain.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow());
    assertThat(decision.get("retrain").asBoolean()).isTrue();
    assertThat(decision.get("conditions").toString())
        .contains("\"600 rows not read yet >= 500\"", "no drift rows");
    Cli.Result none =
        Cli.run(
            "check", "--trainer", "py", "--config", config, "--set", "retrain.min-new-rows=1000");
    assertThat(none.exit()).isZero();
    assertThat(none.out()).contains("no condition holds (exit 0)", "600 rows not read yet < 1,000");
    // drift rows newer than the trainer's last commit hold, as the report writes them
    s.spark()
        .sql(
            "CREATE TABLE IF NOT EXISTS "
                + s.table("drift")
                + " (report_id STRING, computed_at TIMESTAMP, training_table STRING, model_name"
                + " STRING, feature STRING, kind STRING, psi DOUBLE, reference_from TIMESTAMP,"
                + " reference_to TIMESTAMP, current_from TIMESTAMP, current_to TIMESTAMP,"
                + " reference_weight DOUBLE, current_weight DOUBLE) USING iceberg");
    s.spark()
        .sql(
            "INSERT INTO "
                + s.table("drift")
                + " VALUES ('r-1', current_timestamp(), 'training_traffic', 'a', 'x3', 'numeric',"
                + " 0.41, NULL, NULL, NULL, NULL, 1.0, 1.0)");
    Cli.Result drift =
        Cli.run(
            "check", "--trainer", "py", "--config", config, "--set", "retrain.min-new-rows=1000");
    assertThat(drift.exit()).isEqualTo(10);
    assertThat(drift.out())
        .contains("RETRAIN (exit 10): drift (py)", "max PSI 0.410 (a x3) > 0.25");
    assertThat(
            s.spark()
                .sql(
                    "SELECT count(DISTINCT check_id), max(CAST(retrain AS INT)) FROM "
                        + s.table("triggers"))
                .first()
                .toString())
        .isEqualTo("[3,1]");
  }

  private int finetune(
      Path batch, Path models, String version, String base, boolean crash, String config)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(python(), FINETUNE.toString()));
    cmd.addAll(
        List.of(
            "--manifest", batch.resolve("manifest.json").toString(),
            "--models", models.toString(),
            "--model-version", version,
            "--joiner", joinerCommand(),
            "--config", config));
    if (base != null) {
      cmd.addAll(List.of("--base-model", base));
    }
    if (crash) {
      cmd.add("--no-commit");
    }
    Path log = Files.createTempFile(batch.getParent(), "finetune-", ".log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("finetune did not finish:\n" + Files.readString(log));
    }
    String out = Files.readString(log);
    System.out.print(out);
    assertThat(out)
        .as(out)
        .contains("finetune: " + version + " from " + (base == null ? "scratch" : base));
    return p.exitValue();
  }

  /** The joiner's CLI as a child JVM on this classpath, as shell words. */
  private static String joinerCommand() {
    List<String> words = new ArrayList<>();
    words.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    words.addAll(List.of(System.getProperty("logwait.spark-jvm-flags").split(" ")));
    words.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path")));
    words.add("dev.logwait.joiner.cli.JoinerMain");
    return String.join(" ", words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").toList());
  }

  /** Debian's interpreter (with python3-torch, python3-avro); -Dlogwait.python overrides it. */
  private static String python() {
    return System.getProperty("logwait.python", "/usr/bin/python3");
  }

  private List<JsonNode> ofJob(String name) {
    return events.stream().filter(e -> e.get("job").get("name").asText().equals(name)).toList();
  }

  private static JsonSchema schema() throws IOException {
    SchemaValidatorsConfig config =
        SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    try (InputStream in =
        ContinualLoopIT.class.getResourceAsStream("/openlineage/run-event.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
    }
  }

  private static JsonNode manifest(Path dir) throws IOException {
    return json(dir.resolve("manifest.json"));
  }

  private static JsonNode json(Path file) throws IOException {
    return JSON.readTree(file.toFile());
  }

  private static List<String> ids(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
  }
}
