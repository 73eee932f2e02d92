package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.logwait.joiner.cli.JoinerMain;
import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.LogwaitSchemas;
import dev.logwait.schema.SchemaStore;
import dev.logwait.schema.SingleObjectCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * docs/bandits-joiner.md on a real broker, real Spark and real Iceberg tables: each run publishes
 * every router's statistics, read back from the compacted topic and decoded with the shipped
 * schema, and they equal the sums over the training table at the snapshot the message names
 * (computed here, row by row): after the first run (computed from the whole table), a second run
 * (the new rows added to the kept sums, decayed for the router with a half-life), a restatement
 * (computed again), and a joiner killed with SIGKILL between committing the state and publishing it
 * (the next run publishes that state, counting nothing twice). The arms' waiting predictions are
 * the router's own choices that are logged and not finalized.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class PosteriorsIT {
  static final FeatureSet FS = FeatureSet.builder("bandit", 1).addDouble("x").build();
  static final long T0 = 1_780_000_000_000_000L;
  static final long MIN = 60_000_000L;
  static final long HALF_LIFE = 3_600_000_000L;

  private final Random rnd = new Random(5);
  private int seq;

  @Test
  void publishedStatisticsEqualTheTableAtTheirSnapshotThroughAppendsARestatementAndAKill()
      throws Exception {
    Scenario base =
        new Scenario(
            "posteriors",
            1,
            1,
            "labels:\n"
                + "  - {name: click, window: 10m, aggregation: exists, default: 0, restate: true}\n"
                + "  - {name: spend, window: 10m, aggregation: sum}\n"
                + "routers:\n"
                + "  - {name: layout, table: bandit, reward: click}\n"
                + "  - {name: revenue, table: bandit, arm-column: model_version, reward: spend,"
                + " half-life: 1h}\n",
            "0s");
    String topic = base.id + "-posteriors";
    Scenario s = new Scenario(base, "p", "kafka.posteriors-topic: " + topic + "\n");

    // 1. the first run: the statistics of the whole table
    List<String> first = traffic(s, T0, 60);
    List<String> open = log(s, T0 + 75 * MIN, 6); // their windows stay open
    heartbeat(s, T0 + 80 * MIN);
    var run1 = s.run();
    assertThat(run1.counts())
        .containsEntry("finalized", 60L)
        .containsEntry("router_published.layout", 1L)
        .containsEntry("router_recomputed.layout", 1L)
        .containsEntry("router_published.revenue", 1L)
        .containsEntry("router_recomputed.revenue", 1L);
    try (Admin admin = Admin.create(new HashMap<>(s.broker.clientProps()))) {
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      var config = admin.describeConfigs(List.of(r)).all().get().get(r);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
      assertThat(config.get("segment.ms").value()).isEqualTo("3600000");
    }
    Map<String, GenericRecord> published = latest(s, topic);
    GenericRecord layout = published.get("layout");
    assertEqualsTable(s, layout, "action", true, null);
    assertEqualsTable(s, published.get("revenue"), "model_version", false, HALF_LIFE);
    assertThat(run1.counts().get("router_rows.layout")).isEqualTo(rows(layout));
    assertThat(layout.get("reward_kind").toString()).isEqualTo("BINARY");
    assertThat(published.get("revenue").get("reward_kind").toString()).isEqualTo("NUMERIC");
    assertThat(published.get("revenue").get("half_life_seconds")).isEqualTo(3600.0);
    assertThat(layout.get("label_watermark")).isEqualTo(T0 + 80 * MIN);
    assertThat(waiting(layout)).isEqualTo(expectedWaiting(s, open));
    assertThat(waiting(layout).values().stream().mapToLong(Long::longValue).sum()).isPositive();

    // 2. more rows: added to the kept sums, equal to the sums over the whole table
    traffic(s, T0 + 80 * MIN, 40);
    heartbeat(s, T0 + 140 * MIN);
    var run2 = s.run();
    assertThat(run2.counts())
        .containsEntry("finalized", 46L)
        .doesNotContainKeys("router_recomputed.layout", "router_recomputed.revenue");
    published = latest(s, topic);
    assertThat(published.get("layout").get("training_snapshot"))
        .isNotEqualTo(layout.get("training_snapshot"));
    assertEqualsTable(s, published.get("layout"), "action", true, null);
    assertEqualsTable(s, published.get("revenue"), "model_version", false, HALF_LIFE);
    assertThat(run2.counts().get("router_rows.layout"))
        .isEqualTo(rows(published.get("layout")) - rows(layout));

    // 3. a late click restates a finalized row (an overwrite): computed from the whole table
    try (LabelLogger labels = s.labelLogger()) {
      for (String id : first.subList(0, 10)) {
        labels.log(Label.forPrediction(id, "click", 1, served(s, id) + 2 * MIN));
      }
      labels.flush(Duration.ofSeconds(60));
    }
    var run3 = s.run();
    assertThat(run3.counts())
        .containsEntry("restated", 10L)
        .containsEntry("router_recomputed.layout", 1L)
        .containsEntry("router_recomputed.revenue", 1L);
    published = latest(s, topic);
    assertEqualsTable(s, published.get("layout"), "action", true, null);
    assertEqualsTable(s, published.get("revenue"), "model_version", false, HALF_LIFE);
    GenericRecord beforeKill = published.get("layout");

    // 4. a joiner killed after committing the state, before publishing it
    traffic(s, T0 + 140 * MIN, 30);
    heartbeat(s, T0 + 200 * MIN);
    JoinerProcess victim = JoinerProcess.start(s, "before-publish-layout", "run");
    var marker = s.dir.resolve("markers/before-publish-layout.reached");
    await()
        .atMost(Duration.ofMinutes(6))
        .until(() -> Files.exists(marker) || !victim.process.isAlive());
    assertThat(victim.process.isAlive()).as("paused:\n%s", victim.output()).isTrue();
    victim.kill();
    s.spark().sql("REFRESH TABLE " + s.table("training_bandit"));
    s.spark().sql("REFRESH TABLE " + s.table("router_state"));
    long committed =
        s.read("router_state")
            .where("router = 'layout'")
            .select("training_snapshot")
            .first()
            .getLong(0);
    assertThat(committed).as("the state was committed").isEqualTo(current(s));
    assertThat(latest(s, topic).get("layout").get("training_snapshot"))
        .as("and not published")
        .isEqualTo(beforeKill.get("training_snapshot"));
    var rerun = s.run();
    assertThat(rerun.counts())
        .containsEntry("finalized", 0L)
        .containsEntry("router_published.layout", 1L)
        .containsEntry("router_rows.layout", 0L)
        .doesNotContainKey("router_recomputed.layout")
        .doesNotContainKey("router_recomputed.revenue");
    published = latest(s, topic);
    assertThat(published.get("layout").get("training_snapshot")).isEqualTo(committed);
    assertEqualsTable(s, published.get("layout"), "action", true, null);
    assertEqualsTable(s, published.get("revenue"), "model_version", false, HALF_LIFE);

    // 5. status and report show what was published
    GenericRecord now = published.get("layout");
    String status = stdout(() -> JoinerMain.execute("status", "--config", s.configFile.toString()));
    assertThat(status)
        .contains("  layout: training_bandit, arm action, reward click (binary, prior Beta(1, 1))")
        .contains("    statistics of training snapshot " + committed)
        .contains("ago (staleness), of training snapshot " + committed)
        .contains(
            "  revenue: training_bandit, arm model_version, reward spend (numeric,"
                + " half-life 60 min)");
    assertThat(status.lines().filter(l -> l.matches("    a +[0-9,]+ .*%.*"))).as(status).hasSize(1);
    Path html = s.dir.resolve("report/report.html");
    assertThat(
            JoinerMain.execute(
                "report",
                "--config",
                s.configFile.toString(),
                "--out",
                html.toString(),
                "--bootstrap",
                "50",
                "--no-drift-table"))
        .isZero();
    JsonNode routers =
        new ObjectMapper().readTree(s.dir.resolve("report/report.json").toFile()).path("routers");
    assertThat(routers).hasSize(2);
    JsonNode l = routers.get(0);
    assertThat(l.path("router").asText()).isEqualTo("layout");
    assertThat(l.path("stateSnapshot").asLong()).isEqualTo(committed);
    assertThat(l.path("tableSnapshot").asLong()).isEqualTo(committed);
    assertThat(l.path("publishedSnapshot").asLong()).isEqualTo(committed);
    assertThat(l.path("stalenessSeconds").asDouble()).isNotNegative();
    assertThat(l.path("notes")).isEmpty();
    double best = 0;
    for (JsonNode a : l.path("arms")) {
      GenericRecord m = arm(now, a.path("arm").asText());
      assertThat(a.path("rows").asLong()).isEqualTo((Long) m.get("rows"));
      assertThat(a.path("weight").asDouble()).isEqualTo((Double) m.get("weight"));
      assertThat(a.path("posterior").path("estimate").asDouble())
          .isCloseTo(
              (1 + (Double) m.get("reward_sum")) / (2 + (Double) m.get("weight")), within(1e-12));
      best += a.path("probabilityBest").asDouble();
    }
    assertThat(best).isCloseTo(1, within(1e-9));
    Map<String, Double> shares = new TreeMap<>();
    for (JsonNode d : l.path("traffic")) {
      shares.merge(d.path("day").asText(), d.path("share").asDouble(), Double::sum);
    }
    assertThat(shares)
        .isNotEmpty()
        .allSatisfy((day, share) -> assertThat(share).isCloseTo(1, within(1e-9)));
    assertThat(Files.readString(html)).contains("<h2>Bandit routers</h2>", "router layout");
  }

  private static GenericRecord arm(GenericRecord m, String arm) {
    for (Object o : (List<?>) m.get("arms")) {
      if (((GenericRecord) o).get("arm").toString().equals(arm)) {
        return (GenericRecord) o;
      }
    }
    throw new AssertionError("no arm " + arm + " in " + m);
  }

  /** What {@code command} prints to standard output (which it must not close). */
  private static String stdout(java.util.function.IntSupplier command) {
    PrintStream was = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertThat(command.getAsInt()).isZero();
    } finally {
      System.setOut(was);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    was.print(text);
    return text;
  }

  /**
   * Logs {@code n} predictions a minute apart from {@code t0}: arms a and b chosen by the router
   * (propensity set), one in five not (no propensity), versions v1 and v2, some sampled at 0.5; a
   * click for about a third and spend for about a quarter, inside their windows.
   */
  private List<String> traffic(Scenario s, long t0, int n) {
    List<String> ids = log(s, t0, n);
    try (LabelLogger labels = s.labelLogger()) {
      for (int i = 0; i < n; i++) {
        long served = t0 + i * MIN;
        if (rnd.nextInt(3) == 0) {
          labels.log(Label.forPrediction(ids.get(i), "click", 1, served + 3 * MIN));
        }
        if (rnd.nextInt(4) == 0) {
          labels.log(
              Label.forPrediction(ids.get(i), "spend", 1 + rnd.nextInt(50), served + 5 * MIN));
        }
      }
      labels.flush(Duration.ofSeconds(60));
    }
    return ids;
  }

  private List<String> log(Scenario s, long t0, int n) {
    List<String> ids = new ArrayList<>();
    try (PredictionLogger logger = s.predictionLogger().build()) {
      for (int i = 0; i < n; i++) {
        String id = "p" + ++seq;
        var p =
            logger
                .prediction(FS, "m", rnd.nextInt(3) == 0 ? "v2" : "v1")
                .predictionId(id)
                .servedAtMicros(t0 + i * MIN)
                .action(rnd.nextBoolean() ? "a" : "b")
                .set("x", rnd.nextGaussian());
        if (rnd.nextInt(5) > 0) {
          p.propensity(0.5);
        }
        if (rnd.nextInt(4) == 0) {
          p.recordedSampleRate(0.5);
        }
        logger.log(p);
        ids.add(id);
      }
      logger.flush(Duration.ofSeconds(60));
    }
    return ids;
  }

  /** A label of no configured spec that moves the labels topic's clock (the watermark). */
  private static void heartbeat(Scenario s, long at) {
    try (LabelLogger labels = s.labelLogger()) {
      labels.log(Label.of(null, "heartbeat", 0, at, Map.of("hb", String.valueOf(at))));
      labels.flush(Duration.ofSeconds(60));
    }
  }

  private static long served(Scenario s, String id) {
    Timestamp t =
        s.read("raw_predictions").where("prediction_id = '" + id + "'").first().getAs("served_at");
    return t.getTime() * 1000;
  }

  private static long current(Scenario s) {
    return s.spark()
        .sql("SELECT snapshot_id FROM " + s.table("training_bandit") + ".refs WHERE name = 'main'")
        .first()
        .getLong(0);
  }

  /** The newest message of each router on the topic, decoded with the shipped schema. */
  private static Map<String, GenericRecord> latest(Scenario s, String topic) {
    SchemaStore store = new SchemaStore();
    store.add(LogwaitSchemas.routerPosterior());
    Map<String, GenericRecord> out = new TreeMap<>();
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            new HashMap<>(s.broker.clientProps()),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
          GenericRecord m = SingleObjectCodec.decode(r.value(), store);
          assertThat(m.get("router").toString())
              .isEqualTo(new String(r.key(), StandardCharsets.UTF_8));
          out.put(m.get("router").toString(), m);
        }
      }
    }
    return out;
  }

  /**
   * The message's arms equal the sums over the training table as of the snapshot it names, row by
   * row: rows with an arm and a reward, the router's own choices only where it counts only those,
   * weighted by 1 / sample_rate, decayed to the snapshot's label watermark where it has a
   * half-life.
   */
  private static void assertEqualsTable(
      Scenario s, GenericRecord m, String armColumn, boolean ownChoices, Long halfLife) {
    long snapshot = (Long) m.get("training_snapshot");
    String reward = "label_" + m.get("reward");
    Long wm = (Long) m.get("label_watermark");
    Map<String, double[]> expected = new TreeMap<>();
    List<Row> rows =
        s.spark()
            .read()
            .option("versionAsOf", String.valueOf(snapshot))
            .table(s.table("training_bandit"))
            .collectAsList();
    for (Row x : rows) {
      String arm = x.getAs(armColumn);
      Double r = x.getAs(reward);
      if (arm == null || r == null) {
        continue;
      }
      if (ownChoices && (x.getAs("propensity") == null || !arm.equals(x.getAs("action")))) {
        continue;
      }
      double w = 1 / x.<Double>getAs("sample_rate");
      if (halfLife != null) {
        long served = x.<Timestamp>getAs("served_at").getTime() * 1000;
        w *= Math.pow(0.5, (double) (wm - served) / halfLife);
      }
      double[] e = expected.computeIfAbsent(arm, k -> new double[4]);
      e[0] += w;
      e[1] += w * r;
      e[2] += w * r * r;
      e[3] += 1;
    }
    assertThat(expected).as("rows in the table").isNotEmpty();
    Map<String, GenericRecord> arms = new TreeMap<>();
    for (Object o : (List<?>) m.get("arms")) {
      GenericRecord a = (GenericRecord) o;
      if ((Long) a.get("rows") > 0) {
        arms.put(a.get("arm").toString(), a);
      }
    }
    assertThat(arms.keySet()).as(m.get("router") + "'s arms").isEqualTo(expected.keySet());
    expected.forEach(
        (arm, e) -> {
          GenericRecord a = arms.get(arm);
          double tolerance = 1e-9 * Math.max(1, e[0]) * 50;
          assertThat((Double) a.get("weight")).as(arm).isCloseTo(e[0], within(tolerance));
          assertThat((Double) a.get("reward_sum")).as(arm).isCloseTo(e[1], within(tolerance));
          assertThat((Double) a.get("reward_sum_squares"))
              .as(arm)
              .isCloseTo(e[2], within(tolerance * 50));
          assertThat((Long) a.get("rows")).as(arm).isEqualTo((long) e[3]);
        });
  }

  private static long rows(GenericRecord m) {
    long n = 0;
    for (Object o : (List<?>) m.get("arms")) {
      n += (Long) ((GenericRecord) o).get("rows");
    }
    return n;
  }

  private static Map<String, Long> waiting(GenericRecord m) {
    Map<String, Long> out = new TreeMap<>();
    for (Object o : (List<?>) m.get("arms")) {
      GenericRecord a = (GenericRecord) o;
      if ((Long) a.get("waiting") > 0) {
        out.put(a.get("arm").toString(), (Long) a.get("waiting"));
      }
    }
    return out;
  }

  /** The open predictions that are the router's own choices, per arm, from raw_predictions. */
  private static Map<String, Long> expectedWaiting(Scenario s, List<String> open) {
    Map<String, Long> out = new TreeMap<>();
    for (Row r :
        s.read("raw_predictions")
            .where("propensity IS NOT NULL AND action IS NOT NULL")
            .where(org.apache.spark.sql.functions.col("prediction_id").isin(open.toArray()))
            .collectAsList()) {
      out.merge(r.getAs("action"), 1L, Long::sum);
    }
    return out;
  }
}
