package dev.logwait.it;

import dev.logwait.joiner.JoinerJob;
import dev.logwait.joiner.cli.JobContext;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import dev.logwait.testkit.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One scenario's world: unique topics, its own Iceberg catalog and warehouse, a config file the
 * joiner reads (in this JVM or a child), and loggers pointed at its topics.
 */
final class Scenario {
  private static final AtomicInteger SEQ = new AtomicInteger();

  final String id;
  final String predictions;
  final String labels;
  final String schemas;
  final Path dir;
  final Path configFile;
  final JoinerConfig config;
  final KafkaBroker broker;

  /**
   * @param labelsYaml the {@code labels:} block
   */
  Scenario(String name, int predictionPartitions, int labelPartitions, String labelsYaml) {
    this(name, predictionPartitions, labelPartitions, labelsYaml, "1m");
  }

  Scenario(
      String name,
      int predictionPartitions,
      int labelPartitions,
      String labelsYaml,
      String lateness) {
    this(name, predictionPartitions, labelPartitions, labelsYaml, lateness, SharedEnv.broker());
  }

  /** A scenario on a broker of its own (one the test stops and starts). */
  Scenario(
      String name,
      int predictionPartitions,
      int labelPartitions,
      String labelsYaml,
      String lateness,
      KafkaBroker broker) {
    this.broker = broker;
    this.id = name + SEQ.incrementAndGet();
    this.predictions = id + "-preds";
    this.labels = id + "-labels";
    this.schemas = id + "-schemas";
    this.dir = SharedEnv.root().resolve(id);
    broker.createTopics(predictionPartitions, predictions);
    broker.createTopics(labelPartitions, labels);
    this.configFile = dir.resolve("joiner.yaml");
    try {
      Files.createDirectories(dir);
      Files.writeString(configFile, yaml(id, dir.resolve("warehouse"), labelsYaml, lateness));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.config = JoinerConfig.load(configFile, Map.of());
  }

  /** The same topics read into another catalog and warehouse (e.g. an uninterrupted reference). */
  Scenario(Scenario of, String suffix) {
    this(of, suffix, "");
  }

  /** As {@link #Scenario(Scenario, String)}, with more top-level configuration lines. */
  Scenario(Scenario of, String suffix, String moreYaml) {
    this(of, suffix, moreYaml, null);
  }

  /**
   * The same topics read into an Iceberg JDBC catalog on {@code jdbcUrl} (data files in this
   * scenario's warehouse folder).
   */
  static Scenario onJdbcCatalog(Scenario of, String suffix, String jdbcUrl) {
    return new Scenario(of, suffix, "", jdbcUrl);
  }

  private Scenario(Scenario of, String suffix, String moreYaml, String jdbcUrl) {
    this.broker = of.broker;
    this.id = of.id + suffix;
    this.predictions = of.predictions;
    this.labels = of.labels;
    this.schemas = of.schemas;
    this.dir = SharedEnv.root().resolve(id);
    this.configFile = dir.resolve("joiner.yaml");
    try {
      Files.createDirectories(dir);
      String text = Files.readString(of.configFile);
      text = text.replace("name: " + of.id + "\n", "name: " + id + "\n");
      text =
          text.replace(of.dir.resolve("warehouse").toString(), dir.resolve("warehouse").toString());
      if (jdbcUrl != null) {
        text =
            text.replace(
                "    type: hadoop\n",
                "    type: jdbc\n    uri: "
                    + jdbcUrl
                    + "\n    jdbc.user: "
                    + dev.logwait.testkit.PostgresServer.USER
                    + "\n    jdbc.schema-version: V1\n");
      }
      Files.writeString(configFile, text + moreYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.config = JoinerConfig.load(configFile, Map.of());
  }

  private String yaml(String catalog, Path warehouse, String labelsYaml, String lateness) {
    return "kafka:\n  bootstrap-servers: "
        + broker.bootstrapServers()
        + "\n"
        + "  predictions-topic: "
        + predictions
        + "\n  labels-topic: "
        + labels
        + "\n"
        + "  schemas-topic: "
        + schemas
        + "\n"
        + "catalog:\n  name: "
        + catalog
        + "\n  properties:\n    type: hadoop\n    warehouse: "
        + warehouse
        + "\n"
        + "allowed-lateness: "
        + lateness
        + "\nspark:\n  shuffle-partitions: 2\n"
        + labelsYaml;
  }

  SparkSession spark() {
    SparkSession spark = SharedEnv.spark();
    JobContext.sessionConf(config).forEach((k, v) -> spark.conf().set(k, v));
    return spark;
  }

  PredictionLogger.Builder predictionLogger() {
    return PredictionLogger.builder()
        .bootstrapServers(broker.bootstrapServers())
        .topic(predictions)
        .schemasTopic(schemas);
  }

  LabelLogger labelLogger() {
    return LabelLogger.builder().bootstrapServers(broker.bootstrapServers()).topic(labels).build();
  }

  /** {@code run} in this JVM. */
  JoinerJob.Summary run(boolean acceptDataLoss) {
    return JoinerJob.run(spark(), config, true, true, acceptDataLoss, System.out);
  }

  JoinerJob.Summary run() {
    return run(false);
  }

  /**
   * Logs one prediction of model {@code m} version {@code 1} per id, all served at {@code
   * servedAtMicros}, and waits until the broker has them.
   */
  void log(FeatureSet fs, long servedAtMicros, String... ids) {
    try (PredictionLogger logger = predictionLogger().build()) {
      for (String id : ids) {
        logger.log(logger.prediction(fs, "m", "1").predictionId(id).servedAtMicros(servedAtMicros));
      }
      logger.flush(java.time.Duration.ofSeconds(60));
    }
  }

  /**
   * Sends a label event to a chosen partition of the labels topic (a {@code LabelLogger} picks
   * partitions by key hash), as the bytes a logger sends, and waits until the broker has it.
   */
  void sendLabel(int partition, dev.logwait.logger.Label label) {
    try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> p =
        new org.apache.kafka.clients.producer.KafkaProducer<>(
            broker.clientProps(),
            new org.apache.kafka.common.serialization.ByteArraySerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      p.send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  labels, partition, label.eventId().getBytes(), LabelBytes.encode(label)))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException("cannot send label " + label.eventId(), e);
    }
  }

  /** {@code ingest} alone, in this JVM. */
  JoinerJob.Summary ingest() {
    return JoinerJob.run(spark(), config, true, false, false, System.out);
  }

  /** {@code join} alone, in this JVM. */
  JoinerJob.Summary join() {
    return JoinerJob.run(spark(), config, false, true, false, System.out);
  }

  String table(String name) {
    return config.table(name);
  }

  Dataset<Row> read(String name) {
    return spark().table(table(name));
  }

  /**
   * A table's rows as sorted maps keyed by {@code key}, without the columns that record when a run
   * happened (they differ between equal runs).
   */
  Map<String, Map<String, Object>> rows(String name, String key) {
    Dataset<Row> d = read(name);
    List<String> cols = new ArrayList<>();
    for (String c : d.columns()) {
      if (!List.of("finalized_at", "ingested_at", "restated_at").contains(c)) {
        cols.add(c);
      }
    }
    Map<String, Map<String, Object>> out = new java.util.TreeMap<>();
    for (Row r : d.selectExpr(cols.toArray(String[]::new)).collectAsList()) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < cols.size(); i++) {
        m.put(cols.get(i), plain(r.get(i)));
      }
      Object k = m.get(key);
      if (out.put(String.valueOf(k), m) != null) {
        throw new AssertionError(name + " holds " + key + " " + k + " twice");
      }
    }
    return out;
  }

  /** Spark values as plain, comparable Java values. */
  static Object plain(Object v) {
    if (v instanceof scala.collection.Map<?, ?> m) {
      Map<String, Object> out = new java.util.TreeMap<>();
      scala.jdk.javaapi.CollectionConverters.asJava(m)
          .forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
      return out;
    }
    if (v instanceof scala.collection.Seq<?> s) {
      List<Object> out = new ArrayList<>();
      scala.jdk.javaapi.CollectionConverters.asJava(s).forEach(x -> out.add(plain(x)));
      return out;
    }
    if (v instanceof Row r) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < r.length(); i++) {
        out.put(r.schema().fields()[i].name(), plain(r.get(i)));
      }
      return out;
    }
    if (v instanceof byte[] b) {
      return java.util.HexFormat.of().formatHex(b);
    }
    if (v instanceof java.sql.Timestamp t) {
      return t.getTime() * 1000 + (t.getNanos() / 1000) % 1000;
    }
    return v;
  }
}
