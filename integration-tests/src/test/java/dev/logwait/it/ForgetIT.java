package dev.logwait.it;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.xxhash64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logwait.joiner.cli.JoinerMain;
import dev.logwait.joiner.join.Backfill;
import dev.logwait.joiner.trainer.TrainingData;
import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.PredictionLogger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Forgetting a person, proved on tables that went through several runs, a restatement, a complete
 * and an unfinished backfill, compaction, a tag, a branch and a lagging trainer: afterwards no
 * remaining snapshot of any table, no metadata table and no data file left in the warehouse holds
 * them; every other row is unchanged; trainers and the backfill go on exactly where they were; the
 * joiner goes on; their old messages sent again, and new ones, are dropped and counted.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ForgetIT {
  static final long T0 = Traffic.T0;
  static final long SEC = Traffic.SEC;
  static final String USER = "u3"; // the person who asks to be forgotten
  static final String ALSO = "p2-5"; // and one prediction of another user, by id
  static final String LABELS =
      "labels:\n"
          + "  - {name: click, window: 10m, aggregation: exists, default: 0, restate: true}\n"
          + "  - {name: purchase, window: 1h, aggregation: sum, default: 0, join-keys: [user_id]}\n";
  static final List<String> TABLES =
      List.of(
          "raw_predictions",
          "raw_labels",
          "quarantine",
          "training_traffic",
          "backfill_traffic",
          "backfill_resume");

  @Test
  void aForgottenPersonLeavesNoTraceAndEverythingElseGoesOn() throws Exception {
    Scenario s = new Scenario("forget", 2, 1, LABELS, "0s");
    round(s, 1, 400, T0);
    s.run();
    TrainingData data = new TrainingData(s.spark(), s.config);
    data.commit(data.since("early"), "e-1", null);
    data.commit(data.since("late"), "l-1", null);

    round(s, 2, 300, T0 + 20_000 * SEC);
    quarantined(s, "q-" + USER); // a message about the person that does not decode
    try (LabelLogger labels = s.labelLogger()) { // late clicks on round 1: restated
      labels.log(Label.forPrediction("p1-1", "click", 1, T0 + SEC + 60 * SEC));
      labels.log(Label.forPrediction("p1-3", "click", 1, T0 + 3 * SEC + 60 * SEC));
      labels.flush(Duration.ofMinutes(1));
    }
    assertThat(s.run().counts().get("restated")).isGreaterThanOrEqualTo(2L);
    data.commit(data.since("early"), "e-2", "e-1"); // late stays at round 1
    s.spark()
        .sql(
            "ALTER TABLE "
                + s.table("training_traffic")
                + " CREATE TAG before_forget RETAIN 365 DAYS");
    s.spark().sql("ALTER TABLE " + s.table("raw_predictions") + " CREATE BRANCH audit");
    new Backfill(s.spark(), s.config, System.out)
        .run(new Backfill.Options("traffic", "backfill_traffic", null, null, CHUNK));
    unfinishedBackfill(s);
    assertThat(
            JoinerMain.execute(
                "maintain",
                "--config",
                s.configFile.toString(),
                "--older-than",
                "7d",
                "--retain-last",
                "100"))
        .isZero();

    List<String> ids = subjectPredictionIds(s);
    assertThat(ids).hasSizeGreaterThan(50).contains(ALSO, "p1-3");
    Map<String, Long> before = new LinkedHashMap<>();
    for (String t : TABLES) {
      assertThat(about(s, t, s.read(t), ids).count()).as(t).isPositive();
      before.put(
          t, checksum(s.read(t).filter(org.apache.spark.sql.functions.not(subject(t, ids)))));
    }
    List<String> lateUnread = prediction(data.since("late").rows());
    lateUnread.removeAll(ids);

    assertThat(
            JoinerMain.execute(
                "forget",
                "--config",
                s.configFile.toString(),
                "--entity",
                "user_id=" + USER,
                "--entity",
                "prediction_id=" + ALSO))
        .isZero();

    for (String t : TABLES) {
      s.spark().sql("REFRESH TABLE " + s.table(t));
      assertThat(checksum(s.read(t)))
          .as("%s: every other row unchanged", t)
          .isEqualTo(before.get(t));
      List<Long> snapshots =
          s.spark()
              .sql("SELECT snapshot_id FROM " + s.table(t) + ".snapshots")
              .as(Encoders.LONG())
              .collectAsList();
      for (long snapshot : snapshots) {
        Dataset<Row> then =
            s.spark().read().option("versionAsOf", String.valueOf(snapshot)).table(s.table(t));
        assertThat(about(s, t, then, ids).count()).as("%s as of %d", t, snapshot).isZero();
      }
      assertThat(s.spark().sql("SELECT * FROM " + s.table(t) + ".refs").count())
          .as("%s: branches and tags (main only)", t)
          .isEqualTo(1);
      for (String meta : List.of("all_entries", "all_data_files")) {
        List<String> metrics =
            s.spark()
                .sql("SELECT to_json(readable_metrics) FROM " + s.table(t) + "." + meta)
                .as(Encoders.STRING())
                .collectAsList();
        for (String value : values(ids)) {
          assertThat(metrics)
              .as("%s.%s bounds", t, meta)
              .noneMatch(m -> m.contains("_bound\":\"" + value + "\""));
        }
      }
    }
    for (Path file : dataFiles(s)) {
      Dataset<Row> rows = s.spark().read().parquet(file.toString());
      String table = tableOf(file);
      assertThat(about(s, table, rows, ids).count()).as(file.toString()).isZero();
    }
    var recorded =
        s.spark()
            .sql("SELECT counts FROM " + s.table("runs") + " WHERE command = 'forget'")
            .first();
    assertThat(recorded.getMap(0).toString()).doesNotContain(USER).doesNotContain(ALSO);

    // trainers go on exactly where they were; so does the unfinished backfill
    TrainingData.Batch late = data.since("late");
    assertThat(prediction(late.rows())).containsExactlyInAnyOrderElementsOf(lateUnread);
    data.commit(late, "l-2", "l-1");
    assertThat(data.since("early").rows().count()).isZero();
    new Backfill(s.spark(), s.config, System.out)
        .run(new Backfill.Options("traffic", "backfill_resume", null, null, CHUNK));
    assertThat(s.rows("backfill_resume", "prediction_id").keySet())
        .isEqualTo(s.rows("backfill_traffic", "prediction_id").keySet());

    // the joiner goes on; new messages about the person and old ones sent again stay out
    round(s, 3, 200, T0 + 40_000 * SEC);
    var third = s.run().counts();
    assertThat(third).containsEntry("predictions_dropped_erased", 20L); // u3: every 10th
    assertThat(data.since("early").rows().count()).isEqualTo(180);
    round(s, 1, 400, T0); // round 1 again: a replay
    var replay = s.run().counts();
    assertThat(replay)
        .containsEntry("predictions_written", 0L)
        .containsEntry("predictions_dropped_erased", 40L);
    assertThat(replay.get("labels_dropped_erased")).isPositive();
    for (String t : TABLES) {
      assertThat(about(s, t, s.read(t), ids).count()).as(t).isZero();
      assertThat(s.read(t).filter(userIs(t)).count()).as(t).isZero();
    }

    // refusals change nothing
    long head = snapshot(s, "raw_predictions");
    String config = s.configFile.toString();
    assertThat(JoinerMain.execute("forget", "--config", config, "--entity", "user_id=nobody"))
        .isEqualTo(2);
    assertThat(JoinerMain.execute("forget", "--config", config, "--entity", "u1")).isEqualTo(2);
    Path empty = Files.writeString(s.dir.resolve("nobody.txt"), "# no one\n");
    assertThat(JoinerMain.execute("forget", "--config", config, "--from-file", empty.toString()))
        .isEqualTo(2);
    assertThat(snapshot(s, "raw_predictions")).isEqualTo(head);
  }

  static final Duration CHUNK = Duration.ofMinutes(5);

  /**
   * {@code n} predictions {@code p<r>-<i>} of users {@code u<i % 10>}, a second apart; a click for
   * every 4th (some of u3's), a purchase by user for every 25th (u3's and u8's), and a heartbeat
   * that closes every window.
   */
  static void round(Scenario s, int r, int n, long t0) {
    try (PredictionLogger logger = s.predictionLogger().build();
        LabelLogger labels = s.labelLogger()) {
      for (int i = 0; i < n; i++) {
        long served = t0 + i * SEC;
        var p =
            logger
                .prediction(Traffic.FS, i % 2 == 0 ? "a" : "b", "1")
                .predictionId("p" + r + "-" + i)
                .servedAtMicros(served)
                .entity("user_id", "u" + (i % 10))
                .set("country", "c" + (i % 3));
        for (int k = 0; k < 10; k++) {
          p.set(k, (i * 31 + k) % 17 / 17.0);
        }
        logger.log(p, Duration.ofMinutes(1));
        if (i % 4 == 3) {
          labels.log(
              new Label(
                  "c" + r + "-" + i, "click", 1, served + 30 * SEC, "p" + r + "-" + i, Map.of()),
              Duration.ofMinutes(1));
        }
        if (i % 25 == 3) {
          labels.log(
              Label.of(
                  "b" + r + "-" + i,
                  "purchase",
                  10,
                  served + 60 * SEC,
                  Map.of("user_id", "u" + (i % 10))),
              Duration.ofMinutes(1));
        }
      }
      labels.log(
          Label.of("hb" + r, "heartbeat", 0, t0 + (n + 7200) * SEC, Map.of("hb", "1")),
          Duration.ofMinutes(1));
      logger.flush(Duration.ofMinutes(2));
      labels.flush(Duration.ofMinutes(2));
    }
  }

  /** A message whose fingerprint nobody knows, holding the person's id as an Avro string. */
  private static void quarantined(Scenario s, String key) throws Exception {
    byte[] value = new byte[2 + 8 + 1 + USER.length()];
    value[0] = (byte) 0xC3;
    value[1] = 0x01;
    for (int i = 2; i < 10; i++) {
      value[i] = (byte) 0xAB;
    }
    value[10] = (byte) (USER.length() * 2);
    System.arraycopy(USER.getBytes(), 0, value, 11, USER.length());
    try (var p =
        new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(
            s.broker.clientProps(),
            new org.apache.kafka.common.serialization.ByteArraySerializer(),
            new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      p.send(
              new org.apache.kafka.clients.producer.ProducerRecord<>(
                  s.predictions, key.getBytes(), value))
          .get();
    }
  }

  /** A backfill killed after its first chunk's commit, as BackfillIT does. */
  private static void unfinishedBackfill(Scenario s) {
    JoinerProcess victim =
        JoinerProcess.start(
            s,
            "after-commit-backfill_resume",
            "backfill",
            "--into",
            "backfill_resume",
            "--chunk",
            "5m");
    Path marker = s.dir.resolve("markers/after-commit-backfill_resume.reached");
    await()
        .atMost(Duration.ofMinutes(4))
        .until(() -> Files.exists(marker) || !victim.process.isAlive());
    assertThat(victim.process.isAlive()).as("paused:\n%s", victim.output()).isTrue();
    victim.kill();
    s.spark().sql("REFRESH TABLE " + s.table("backfill_resume"));
  }

  private static List<String> subjectPredictionIds(Scenario s) {
    return prediction(
        s.read("raw_predictions")
            .filter(
                col("entity_keys")
                    .getItem("user_id")
                    .equalTo(USER)
                    .or(col("prediction_id").equalTo(ALSO))));
  }

  /** The rows of {@code rows} (of table {@code table}) about the person. */
  private static Dataset<Row> about(Scenario s, String table, Dataset<Row> rows, List<String> ids) {
    return rows.filter(subject(table, ids));
  }

  /** Whether a row of {@code table} is about the person (never null). */
  private static Column subject(String table, List<String> ids) {
    if (table.equals("quarantine")) {
      Column match = lit(false);
      for (String v : values(ids)) {
        match = match.or(org.apache.spark.sql.functions.contains(col("value"), lit(avroString(v))));
      }
      return org.apache.spark.sql.functions.coalesce(match, lit(false));
    }
    return org.apache.spark.sql.functions.coalesce(
        col("prediction_id").isin(ids.toArray()).or(userIs(table)), lit(false));
  }

  private static Column userIs(String table) {
    return table.equals("quarantine")
        ? org.apache.spark.sql.functions.contains(col("value"), lit(avroString(USER)))
        : col("entity_keys").getItem("user_id").equalTo(USER);
  }

  private static List<String> values(List<String> ids) {
    List<String> out = new ArrayList<>(ids);
    out.add(USER);
    return out;
  }

  private static byte[] avroString(String v) {
    byte[] b = v.getBytes();
    byte[] out = new byte[b.length + 1];
    out[0] = (byte) (b.length * 2); // short strings: one-byte zig-zag length
    System.arraycopy(b, 0, out, 1, b.length);
    return out;
  }

  /** An order-free checksum of a table's rows (the columns that record run times left out). */
  private static long checksum(Dataset<Row> rows) {
    List<Column> cols = new ArrayList<>();
    for (String c : rows.columns()) {
      if (!List.of("finalized_at", "ingested_at", "restated_at").contains(c)) {
        cols.add(col(c));
      }
    }
    Row r =
        rows.select(
                xxhash64(to_json(struct(cols.toArray(Column[]::new))))
                    .bitwiseAND(0xFFFFFFFFL) // summed without overflow
                    .as("h"))
            .agg(sum("h"), org.apache.spark.sql.functions.count(lit(1)))
            .first();
    return (r.isNullAt(0) ? 0 : r.getLong(0)) * 31 + r.getLong(1);
  }

  private static List<String> prediction(Dataset<Row> rows) {
    return new ArrayList<>(rows.select("prediction_id").as(Encoders.STRING()).collectAsList());
  }

  private static long snapshot(Scenario s, String table) {
    return s.spark()
        .sql("SELECT snapshot_id FROM " + s.table(table) + ".snapshots ORDER BY committed_at DESC")
        .as(Encoders.LONG())
        .first();
  }

  /** Every Parquet data file left in the scenario's warehouse, of the tables that hold rows. */
  private static List<Path> dataFiles(Scenario s) throws IOException {
    try (Stream<Path> files = Files.walk(s.dir.resolve("warehouse"))) {
      return files
          .filter(f -> f.toString().endsWith(".parquet"))
          .filter(f -> TABLES.contains(tableOf(f)))
          .toList();
    }
  }

  private static String tableOf(Path file) {
    for (Path p = file; p != null; p = p.getParent()) {
      if (p.getFileName() != null && p.getFileName().toString().equals("data")) {
        return p.getParent().getFileName().toString();
      }
    }
    return "";
  }
}
