package dev.logwait.joiner.ingest;

import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.kafka.KafkaOffsets;
import dev.logwait.joiner.kafka.OffsetBounds;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.IncompatibleSchemaException;
import dev.logwait.schema.LogwaitSchemas;
import dev.logwait.schema.SchemaTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.avro.Schema;

/**
 * What a run reads from, fetched once: the writer schemas (feature sets parsed and validated once)
 * and each topic's offset bounds.
 *
 * @param problems schemas on the schemas topic that were rejected, for the run's output
 */
record Sources(
    List<Decoder.Writer> predictionWriters,
    List<Schema> labelWriters,
    List<String> problems,
    Map<Integer, OffsetBounds> predictionBounds,
    Map<Integer, OffsetBounds> labelBounds) {

  /** Waits for the schemas topic's contents and reads both topics' bounds. */
  static Sources read(CompletableFuture<SchemaTopic.Contents> schemaRead, JoinerConfig config) {
    SchemaTopic.Contents schemas;
    try {
      schemas = schemaRead.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    List<Decoder.Writer> writers = new ArrayList<>();
    List<String> problems = new ArrayList<>(schemas.rejected());
    for (Schema s : schemas.schemas().values()) {
      try {
        writers.add(new Decoder.Writer(s, FeatureSet.fromWriterSchema(s)));
      } catch (IncompatibleSchemaException e) {
        problems.add(e.getMessage());
      }
    }
    List<Schema> labelWriters = new ArrayList<>(LogwaitSchemas.labelEventHistory());
    labelWriters.add(LogwaitSchemas.labelEvent());
    Map<String, Object> client = config.kafkaClientProps();
    return new Sources(
        writers,
        labelWriters,
        problems,
        KafkaOffsets.bounds(client, config.get(ConfigKey.PREDICTIONS_TOPIC)),
        KafkaOffsets.bounds(client, config.get(ConfigKey.LABELS_TOPIC)));
  }
}
