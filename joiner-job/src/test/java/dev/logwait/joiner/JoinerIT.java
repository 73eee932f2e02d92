package dev.logwait.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.joiner.cli.JobContext;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.ingest.DataLossException;
import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.SingleObjectCodec;
import dev.logwait.testkit.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The joiner on a shared local[2] session against a real broker and a temp Iceberg warehouse. The
 * steps build on each other: first run, rerun, late prediction with a new feature-set version,
 * retention gap.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class JoinerIT {
  static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1000;
  static final long SEC = 1_000_000L;
  static final FeatureSet V1 =
      FeatureSet.builder("ranker", 1).addDoubles("x", 3).addString("country").build();
  static final FeatureSet V2 =
      FeatureSet.builder("ranker", 2)
          .addDoubles("x", 3)
          .addString("country")
          .addLong("age")
          .build();

  @TempDir static Path dir;
  static KafkaBroker broker;
  static SparkSession spark;
  static JoinerConfig config;

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.start(dir.resolve("kafka"));
    broker.createTopics(2, "preds");
    broker.createTopics(1, "labels");
    Path yaml = dir.resolve("joiner.yaml");
    Files.writeString(
        yaml,
        "kafka:\n  bootstrap-servers: "
            + broker.bootstrapServers()
            + "\n"
            + "  predictions-topic: preds\n  labels-topic: labels\n  schemas-topic: schemas\n"
            + "catalog:\n  properties:\n    warehouse: "
            + dir.resolve("warehouse")
            + "\n"
            + "allowed-lateness: 1m\nspark:\n  shuffle-partitions: 2\nlabels:\n"
            + "  - name: click\n    window: 30m\n    aggregation: exists\n    default: 0\n"
            + "  - name: purchase\n    window: 1h\n    aggregation: sum\n    default: 0\n"
            + "    join-keys: [user_id]\n");
    config = JoinerConfig.load(yaml, Map.of());
    spark = dev.logwait.testkit.LocalSpark.shared();
    JobContext.sessionConf(config).forEach((k, v) -> spark.conf().set(k, v));
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  static PredictionLogger predictionLogger() {
    return PredictionLogger.builder()
        .bootstrapServers(broker.bootstrapServers())
        .topic("preds")
        .schemasTopic("schemas")
        .build();
  }

  static LabelLogger labelLogger() {
    return LabelLogger.builder()
        .bootstrapServers(broker.bootstrapServers())
        .topic("labels")
        .build();
  }

  static JoinerJob.Summary run() {
    return JoinerJob.run(spark, config, true, true, false, System.out);
  }

  @Test
  @Order(1)
  void firstRunIngestsQuarantinesAndJoinsExactlyAsTheOracleSays() throws Exception {
    try (PredictionLogger logger = predictionLogger();
        LabelLogger labels = labelLogger()) {
      for (int i = 0; i < 200; i++) {
        Prediction p =
            logger
                .prediction(V1, i % 2 == 0 ? "model_a" : "model_b", "1")
                .predictionId("p" + i)
                .servedAtMicros(T0 + i * 10 * SEC)
                .entity("user_id", "u" + (i % 20))
                .score(i / 200.0)
                .set(0, (double) i)
                .set(1, i * 2.0)
                .set(2, -i)
                .set("country", "c" + i % 3);
        logger.log(p);
        if (i % 2 == 0) {
          labels.log(Label.forPrediction("p" + i, "click", 1.0, T0 + i * 10 * SEC + 60 * SEC));
        }
        if (i % 10 == 0) { // outside the 30 m window: must not count
          labels.log(Label.forPrediction("p" + i, "click", 1.0, T0 + i * 10 * SEC + 40 * 60 * SEC));
        }
      }
      // a duplicate of p5, and a purchase on an entity key
      logger.log(logger.prediction(V1, "model_b", "1").predictionId("p5").servedAtMicros(T0));
      labels.log(Label.of("buy-1", "purchase", 10.0, T0 + 100 * SEC, Map.of("user_id", "u3")));
      labels.log(Label.of("buy-1", "purchase", 10.0, T0 + 100 * SEC, Map.of("user_id", "u3")));
      // the label stream moves on to T0 + 2h: every window above has closed
      labels.log(Label.forPrediction("nobody", "click", 1.0, T0 + 7200 * SEC));
      assertThat(logger.flush(Duration.ofSeconds(60))).isTrue();
      assertThat(labels.flush(Duration.ofSeconds(60))).isTrue();
    }
    sendCorruptMessages();

    JoinerJob.Summary s = run();

    assertThat(s.counts())
        .containsEntry("predictions_read", 201L)
        .containsEntry("predictions_written", 200L)
        .containsEntry("prediction_duplicates_dropped", 1L)
        .containsEntry("labels_read", 123L)
        .containsEntry("labels_written", 122L)
        .containsEntry("label_duplicates_dropped", 1L)
        .containsEntry("quarantined", 6L)
        .containsEntry("finalized", 200L);
    assertThat(s.watermarkMicros()).isEqualTo(T0 + 7200 * SEC - 60 * SEC);

    Map<String, Long> reasons = new TreeMap<>();
    for (Row r :
        spark
            .sql("SELECT reason, count(*) FROM logwait.logwait.quarantine GROUP BY reason")
            .collectAsList()) {
      reasons.put(r.getString(0), r.getLong(1));
    }
    assertThat(reasons)
        .containsEntry("BAD_MAGIC", 2L)
        .containsEntry("EMPTY", 1L)
        .containsEntry("TOO_SHORT", 1L)
        .containsEntry("UNKNOWN_FINGERPRINT", 1L)
        .containsEntry("INVALID_BODY", 1L);

    List<Row> rows =
        spark
            .sql(
                "SELECT prediction_id, label_click, label_click_count, label_purchase, x0, country,"
                    + " weight, model_name, label_click_at FROM logwait.logwait.training_ranker")
            .collectAsList();
    assertThat(rows).hasSize(200);
    for (Row r : rows) { // the oracle, written plainly
      int i = Integer.parseInt(r.getString(0).substring(1));
      assertThat(r.getDouble(1)).as("click of p%d", i).isEqualTo(i % 2 == 0 ? 1.0 : 0.0);
      assertThat(r.getLong(2)).isEqualTo(i % 2 == 0 ? 1L : 0L);
      assertThat(r.getDouble(3)).as("purchase of p%d", i).isEqualTo(i == 3 ? 10.0 : 0.0);
      assertThat(r.getDouble(4)).isEqualTo((double) i);
      assertThat(r.getString(5)).isEqualTo("c" + i % 3);
      assertThat(r.getDouble(6)).isEqualTo(1.0);
      assertThat(r.getString(7)).isEqualTo(i % 2 == 0 ? "model_a" : "model_b");
      if (i % 2 == 0) {
        assertThat(r.getTimestamp(8).getTime() * 1000).isEqualTo(T0 + i * 10 * SEC + 60 * SEC);
      }
    }
    Row run = spark.sql("SELECT offsets, counts, health FROM logwait.logwait.runs").first();
    assertThat(run.getString(0)).contains("\"preds/0\"", "\"preds/1\"", "\"labels/0\"");
    assertThat(run.getString(2)).contains("\"click\"", "\"model_a\"", "\"label_rate\":1.0");
  }

  @Test
  @Order(2)
  void aRerunWritesNothing() {
    long snapshots = spark.sql("SELECT * FROM logwait.logwait.training_ranker.snapshots").count();
    Map<String, Long> rawSnapshots = rawSnapshotCounts();
    long runs = spark.table("logwait.logwait.runs").count();
    // a branch a run that died mid-commit two days ago left behind, and one of a live run
    spark.sql(
        "ALTER TABLE logwait.logwait.raw_predictions CREATE BRANCH logwait_"
            + (System.currentTimeMillis() - 2 * 86_400_000L)
            + "_dead");
    String live = "logwait_" + System.currentTimeMillis() + "_live";
    spark.sql("ALTER TABLE logwait.logwait.raw_predictions CREATE BRANCH " + live);
    JoinerJob.Summary s = run();
    assertThat(
            spark
                .sql("SELECT name FROM logwait.logwait.raw_predictions.refs")
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList())
        .containsExactlyInAnyOrder("main", live);
    spark.sql("ALTER TABLE logwait.logwait.raw_predictions DROP BRANCH " + live);
    assertThat(s.counts())
        .containsEntry("predictions_written", 0L)
        .containsEntry("labels_written", 0L)
        .containsEntry("quarantined", 0L)
        .containsEntry("finalized", 0L);
    assertThat(spark.table("logwait.logwait.training_ranker").count()).isEqualTo(200);
    assertThat(spark.table("logwait.logwait.raw_predictions").count()).isEqualTo(200);
    assertThat(spark.sql("SELECT * FROM logwait.logwait.training_ranker.snapshots").count())
        .isEqualTo(snapshots);
    // nothing new: no snapshot anywhere (the positions are already committed), one audit row
    assertThat(rawSnapshotCounts()).isEqualTo(rawSnapshots);
    assertThat(spark.table("logwait.logwait.runs").count()).isEqualTo(runs + 1);
  }

  private static Map<String, Long> rawSnapshotCounts() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    for (String t : List.of("raw_predictions", "raw_labels", "quarantine")) {
      counts.put(t, spark.sql("SELECT * FROM logwait.logwait." + t + ".snapshots").count());
    }
    return counts;
  }

  @Test
  @Order(3)
  void aLatePredictionOfANewVersionIsFinalizedWithANewColumn() {
    try (PredictionLogger logger = predictionLogger()) {
      logger.log(
          logger
              .prediction(V2, "model_a", "2")
              .predictionId("late-1")
              .servedAtMicros(T0 + 5 * SEC)
              .set("age", 42L)
              .set("country", "late"));
      assertThat(logger.flush(Duration.ofSeconds(60))).isTrue();
    }
    JoinerJob.Summary s = run();
    assertThat(s.counts()).containsEntry("predictions_written", 1L).containsEntry("finalized", 1L);
    Row late =
        spark
            .sql(
                "SELECT age, country, feature_set_version FROM logwait.logwait.training_ranker WHERE prediction_id = 'late-1'")
            .first();
    assertThat(late.getLong(0)).isEqualTo(42L);
    assertThat(late.getString(1)).isEqualTo("late");
    assertThat(late.getInt(2)).isEqualTo(2);
    Row old =
        spark
            .sql("SELECT age FROM logwait.logwait.training_ranker WHERE prediction_id = 'p1'")
            .first();
    assertThat(old.isNullAt(0)).isTrue();
  }

  @Test
  @Order(4)
  void aRetentionGapFailsNamingPartitionsUnlessAccepted() throws Exception {
    try (PredictionLogger logger = predictionLogger()) {
      for (int i = 0; i < 20; i++) {
        logger.log(
            logger.prediction(V1, "model_a", "1").predictionId("gone" + i).servedAtMicros(T0));
      }
      assertThat(logger.flush(Duration.ofSeconds(60))).isTrue();
    }
    Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
    try (Admin admin = Admin.create(broker.clientProps())) {
      var ends =
          admin
              .listOffsets(
                  Map.of(
                      new TopicPartition("preds", 0),
                          org.apache.kafka.clients.admin.OffsetSpec.latest(),
                      new TopicPartition("preds", 1),
                          org.apache.kafka.clients.admin.OffsetSpec.latest()))
              .all()
              .get();
      ends.forEach((tp, info) -> delete.put(tp, RecordsToDelete.beforeOffset(info.offset())));
      admin.deleteRecords(delete).all().get();
    }
    long before = spark.table("logwait.logwait.raw_predictions").count();
    assertThatThrownBy(JoinerIT::run)
        .isInstanceOf(DataLossException.class)
        .hasMessageContaining("20 records fell out of Kafka's retention")
        .hasMessageContaining("preds/")
        .hasMessageContaining("--accept-data-loss");
    assertThat(spark.table("logwait.logwait.raw_predictions").count()).isEqualTo(before);

    JoinerJob.Summary s = JoinerJob.run(spark, config, true, true, true, System.out);
    assertThat(s.dataLoss().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(20);
    Row last =
        spark
            .sql("SELECT data_loss FROM logwait.logwait.runs ORDER BY started_at DESC LIMIT 1")
            .first();
    assertThat(last.getString(0)).contains("preds/");
  }

  static void sendCorruptMessages() throws Exception {
    Map<String, Object> props = new HashMap<>(broker.clientProps());
    props.put("key.serializer", ByteArraySerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    byte[] unknownFp = new byte[14];
    SingleObjectCodec.writeHeader(unknownFp, 0, 0x1234_5678_9abc_def0L);
    byte[] badBody = new byte[13];
    SingleObjectCodec.writeHeader(badBody, 0, V1.fingerprint());
    badBody[10] = (byte) 0xFF;
    badBody[11] = (byte) 0xFF;
    badBody[12] = (byte) 0xFF;
    List<byte[]> values =
        List.of(
            new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12},
            "{\"prediction_id\":\"x\"}".getBytes(StandardCharsets.UTF_8),
            new byte[0],
            new byte[] {(byte) 0xC3, 1, 2},
            unknownFp,
            badBody);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props)) {
      for (byte[] v : values) {
        p.send(new ProducerRecord<>("preds", 0, null, v)).get();
      }
    }
  }
}
