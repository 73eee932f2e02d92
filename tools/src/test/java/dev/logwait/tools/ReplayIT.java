package dev.logwait.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.schema.SchemaStore;
import dev.logwait.schema.SchemaTopic;
import dev.logwait.schema.SingleObjectCodec;
import dev.logwait.testkit.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** scripts/replay against a real broker: good lines are sent, bad ones reported by line number. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ReplayIT {
  @TempDir static Path dir;
  static KafkaBroker broker;

  @BeforeAll
  static void start() {
    broker = KafkaBroker.start(dir.resolve("kafka"));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void replaysGoodLinesAndReportsBadOnesByLineNumber() throws Exception {
    Path fs = dir.resolve("fs.json");
    Files.writeString(
        fs,
        "{\"name\": \"ranker\", \"version\": 1, \"fields\": [{\"name\": \"x\", \"type\": \"double\"},"
            + " {\"name\": \"emb\", \"type\": \"float_vector\"}]}");
    Path preds = dir.resolve("preds.jsonl");
    Files.writeString(
        preds,
        String.join(
            "\n",
            "{\"feature_set\": \"ranker\", \"feature_set_version\": 1, \"prediction_id\": \"a\","
                + " \"served_at\": \"2026-01-01T00:00:00Z\", \"model_name\": \"m\", \"model_version\":"
                + " \"1\", \"prediction\": 0.5, \"entity_keys\": {\"user_id\": \"u1\"},"
                + " \"features\": {\"x\": 1.5, \"emb\": [1, 2]}}",
            "not json",
            "{\"feature_set\": \"ranker\", \"feature_set_version\": 1, \"served_at\": 5,"
                + " \"model_name\": \"m\", \"model_version\": \"1\", \"prediction\": 0.5,"
                + " \"features\": {\"x\": \"one\"}}",
            "",
            "{\"feature_set\": \"other\", \"feature_set_version\": 1, \"served_at\": 5,"
                + " \"model_name\": \"m\", \"model_version\": \"1\", \"prediction\": 0.5}",
            "{\"feature_set\": \"ranker\", \"feature_set_version\": 1, \"prediction_id\": \"b\","
                + " \"served_at\": 1767225600000000, \"model_name\": \"m\", \"model_version\": \"1\","
                + " \"prediction\": 0.25, \"sample_rate\": 0.5, \"features\": {\"x\": 2}}"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Replay replay = new Replay();
    replay.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    replay.err = new PrintStream(err, true, StandardCharsets.UTF_8);
    int code =
        new CommandLine(replay)
            .execute(
                "--bootstrap-servers", broker.bootstrapServers(),
                "--topic", "replayed",
                "--schemas-topic", "replayed-schemas",
                "--feature-set", fs.toString(),
                "--predictions", preds.toString());
    String errors = err.toString(StandardCharsets.UTF_8);
    assertThat(code).isEqualTo(1);
    assertThat(errors)
        .contains("preds.jsonl:2: skipped: not valid JSON")
        .contains("preds.jsonl:3: skipped: features.x: expected a number")
        .contains("preds.jsonl:5: skipped: feature_set: other/1 was not declared")
        .doesNotContain("preds.jsonl:4:");
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("6 lines, 2 sent, 0 failed {}, 3 bad lines skipped");

    SchemaStore store =
        new SchemaStore()
            .addAll(
                SchemaTopic.readAll(
                        broker.clientProps(), "replayed-schemas", Duration.ofSeconds(30))
                    .schemas()
                    .values());
    List<GenericRecord> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition("replayed", 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                c.poll(Duration.ofMillis(200))
                    .forEach(r -> records.add(SingleObjectCodec.decode(r.value(), store)));
                return records.size() >= 2;
              });
    }
    GenericRecord a = records.get(0);
    assertThat(a.get("prediction_id")).hasToString("a");
    assertThat(a.get("served_at")).isEqualTo(1_767_225_600_000_000L);
    assertThat(((GenericRecord) a.get("features")).get("x")).isEqualTo(1.5);
    assertThat(records.get(1).get("sample_rate")).isEqualTo(0.5);
  }
}
