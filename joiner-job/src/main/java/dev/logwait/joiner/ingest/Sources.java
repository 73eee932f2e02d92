package dev.logwait.joiner.ingest;

import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.kafka.KafkaOffsets;
import dev.logwait.joiner.kafka.OffsetBounds;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.IncompatibleSchemaException;
import dev.logwait.schema.LogwaitSchemas;
import dev.logwait.schema.SchemaTopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.avro.Schema;

/**
 * What a run reads from: each topic's offset bounds, fetched at once, and the writer schemas
 * (feature sets parsed and validated once), waited for only when predictions are to be decoded: a
 * run that finds no new prediction does not wait for the schemas topic.
 */
public final class Sources {
  private final CompletableFuture<SchemaTopic.Contents> schemaRead;
  private final Map<Integer, OffsetBounds> predictionBounds;
  private final Map<Integer, OffsetBounds> labelBounds;
  private List<Decoder.Writer> predictionWriters;
  private List<String> problems = List.of();

  private Sources(
      CompletableFuture<SchemaTopic.Contents> schemaRead,
      Map<Integer, OffsetBounds> predictionBounds,
      Map<Integer, OffsetBounds> labelBounds) {
    this.schemaRead = schemaRead;
    this.predictionBounds = predictionBounds;
    this.labelBounds = labelBounds;
  }

  /**
   * Reads the schemas topic in the background once {@code after} has completed normally (e.g. the
   * check that Kafka answers); fails as {@code after} did otherwise.
   */
  public static CompletableFuture<SchemaTopic.Contents> readSchemas(
      JoinerConfig config, CompletableFuture<?> after) {
    return after.thenApplyAsync(
        done ->
            SchemaTopic.readAll(
                config.kafkaClientProps(),
                config.get(ConfigKey.SCHEMAS_TOPIC),
                Duration.ofMinutes(2)));
  }

  /** Reads both topics' bounds; the schemas topic's contents come from {@code schemaRead}. */
  static Sources read(CompletableFuture<SchemaTopic.Contents> schemaRead, JoinerConfig config) {
    Map<String, Object> client = config.kafkaClientProps();
    return new Sources(
        schemaRead,
        KafkaOffsets.bounds(client, config.get(ConfigKey.PREDICTIONS_TOPIC)),
        KafkaOffsets.bounds(client, config.get(ConfigKey.LABELS_TOPIC)));
  }

  /** The feature sets' writer schemas (waits for the schemas topic's read on the first call). */
  List<Decoder.Writer> predictionWriters() {
    if (predictionWriters == null) {
      SchemaTopic.Contents schemas;
      try {
        schemas = schemaRead.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
      List<Decoder.Writer> writers = new ArrayList<>();
      List<String> rejected = new ArrayList<>(schemas.rejected());
      for (Schema s : schemas.schemas().values()) {
        try {
          writers.add(new Decoder.Writer(s, FeatureSet.fromWriterSchema(s)));
        } catch (IncompatibleSchemaException e) {
          rejected.add(e.getMessage());
        }
      }
      predictionWriters = List.copyOf(writers);
      problems = List.copyOf(rejected);
    }
    return predictionWriters;
  }

  /** The label event schemas this version reads: shipped with it, not on the schemas topic. */
  List<Schema> labelWriters() {
    List<Schema> labelWriters = new ArrayList<>(LogwaitSchemas.labelEventHistory());
    labelWriters.add(LogwaitSchemas.labelEvent());
    return labelWriters;
  }

  /**
   * Schemas on the schemas topic that were rejected, for the run's output; empty when the run had
   * no prediction to decode (the topic was not waited for).
   */
  List<String> problems() {
    return problems;
  }

  Map<Integer, OffsetBounds> predictionBounds() {
    return predictionBounds;
  }

  Map<Integer, OffsetBounds> labelBounds() {
    return labelBounds;
  }
}
