package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.join.Backfill;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code joiner backfill}: with the specs the incremental join used, the backfilled table equals
 * the incremental training table row for row (restatement keeps the latter exact under late
 * labels); with new specs it equals an oracle computed here from the raw tables; killed after a
 * chunk's commit, it continues and ends equal, writing nothing twice.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class BackfillIT {
  static final Duration CHUNK = Duration.ofMinutes(5);

  @Test
  void backfillEqualsIncrementalTableNewSpecsEqualAnOracleAndAKilledBackfillContinues()
      throws Exception {
    Scenario s = new Scenario("backfill", 2, 2, "restate-late-labels: true\n" + Traffic.LABELS);
    Traffic.send(s, 1500, 11);
    s.run();
    Traffic.send(s, 1500, 12); // late predictions, and purchases that touch finalized rows
    assertThat(s.run().counts()).containsEntry("finalized", 1500L);
    assertThat(s.read("training_traffic").where("revision > 0").count())
        .as("rows restated by the second batch's purchases")
        .isPositive();

    // 1. The same specs: equal to the incremental table.
    Backfill.Summary same =
        new Backfill(s.spark(), s.config, System.out)
            .run(new Backfill.Options("traffic", null, null, null, CHUNK));
    assertThat(same.rowsTotal()).isEqualTo(3000);
    assertThat(same.chunks()).isGreaterThanOrEqualTo(5);
    assertThat(withoutRevision(s.rows("backfill_traffic", "prediction_id")))
        .isEqualTo(withoutRevision(s.rows("training_traffic", "prediction_id")));

    // 2. New specs: a shorter click window counted, purchases as a maximum over 30 minutes.
    Path v2 = s.dir.resolve("joiner-v2.yaml");
    Files.writeString(
        v2,
        Files.readString(s.configFile)
            .replace(
                Traffic.LABELS,
                "labels:\n"
                    + "  - {name: click, window: 2m, aggregation: count}\n"
                    + "  - {name: purchase, window: 30m, aggregation: max,"
                    + " join-keys: [user_id]}\n"));
    JoinerConfig config2 = JoinerConfig.load(v2, Map.of());
    Backfill.Summary changed =
        new Backfill(s.spark(), config2, System.out)
            .run(new Backfill.Options("traffic", "backfill_v2", null, null, CHUNK));
    assertThat(changed.rowsTotal()).isEqualTo(3000);
    Map<String, List<Object>> expected = oracle(s);
    Map<String, List<Object>> actual = new TreeMap<>();
    for (Row r :
        s.read("backfill_v2")
            .select("prediction_id", "label_click", "label_click_count", "label_purchase")
            .collectAsList()) {
      actual.put(r.getString(0), java.util.Arrays.asList(r.get(1), r.get(2), r.get(3)));
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(expected.values().stream().filter(v -> v.get(2) != null).count())
        .as("the oracle has purchases")
        .isPositive();

    // 3. Refusals: the live table, another configuration on an unfinished target.
    assertThatThrownBy(
            () ->
                new Backfill(s.spark(), s.config, System.out)
                    .run(new Backfill.Options("traffic", "training_traffic", null, null, CHUNK)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("a table the joiner writes itself");
    assertThatThrownBy(
            () ->
                new Backfill(s.spark(), config2, System.out)
                    .run(new Backfill.Options("traffic", "backfill_traffic", null, null, CHUNK)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("was started with another configuration");

    assertThat(
            dev.logwait.joiner.cli.JoinerMain.execute(
                "backfill",
                "--config",
                s.configFile.toString(),
                "--from",
                "2026-06-02T00:00:00Z",
                "--to",
                "2026-06-01T00:00:00Z"))
        .as("--from after --to")
        .isEqualTo(2);

    // 4. Killed after its first chunk's commit, then continued.
    JoinerProcess victim =
        JoinerProcess.start(
            s,
            "after-commit-backfill_resume",
            "backfill",
            "--into",
            "backfill_resume",
            "--to",
            FAR.toString(), // capped at what the watermark finalizes
            "--chunk",
            "5m");
    Path marker = s.dir.resolve("markers/after-commit-backfill_resume.reached");
    await()
        .atMost(Duration.ofMinutes(4))
        .until(() -> Files.exists(marker) || !victim.process.isAlive());
    assertThat(victim.process.isAlive()).as("paused:\n%s", victim.output()).isTrue();
    victim.kill();
    s.spark().sql("REFRESH TABLE " + s.table("backfill_resume"));
    long partial = s.read("backfill_resume").count();
    assertThat(partial).isBetween(1L, 2999L);
    // the same command continues (the range is compared as asked, not as capped); another --to
    // is refused, the times shown as ISO-8601
    assertThatThrownBy(
            () ->
                new Backfill(s.spark(), s.config, System.out)
                    .run(
                        new Backfill.Options(
                            "traffic", "backfill_resume", null, FAR.minusSeconds(1), CHUNK)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--to (was " + FAR + ", now " + FAR.minusSeconds(1) + ")");
    Backfill.Summary resumed =
        new Backfill(s.spark(), s.config, System.out)
            .run(new Backfill.Options("traffic", "backfill_resume", null, FAR, CHUNK));
    assertThat(resumed.rowsWritten()).isEqualTo(3000 - partial);
    assertThat(resumed.chunksWritten()).isLessThan(resumed.chunks());
    assertThat(s.rows("backfill_resume", "prediction_id"))
        .isEqualTo(s.rows("backfill_traffic", "prediction_id"));
    assertThat(
            new Backfill(s.spark(), s.config, System.out)
                .run(new Backfill.Options("traffic", "backfill_resume", null, null, CHUNK))
                .rowsWritten())
        .isZero();
  }

  /** A --to far past every label watermark. */
  private static final java.time.Instant FAR = java.time.Instant.parse("2099-01-01T00:00:00Z");

  private static Map<String, Map<String, Object>> withoutRevision(
      Map<String, Map<String, Object>> rows) {
    rows.values().forEach(r -> r.remove("revision"));
    return rows;
  }

  /**
   * Per prediction, from the raw tables by hand: clicks with {@code served <= at < served + 2m}
   * (count, and the count column), and the largest purchase of the same user within 30 minutes.
   */
  private static Map<String, List<Object>> oracle(Scenario s) {
    long click = TimeUnit.MINUTES.toMicros(2);
    long purchase = TimeUnit.MINUTES.toMicros(30);
    List<Row> labels =
        s.read("raw_labels")
            .select("label_name", "value", "occurred_at", "prediction_id", "entity_keys")
            .collectAsList();
    Map<String, List<Object>> out = new TreeMap<>();
    for (Row p :
        s.read("raw_predictions")
            .select("prediction_id", "served_at", "entity_keys")
            .collectAsList()) {
      long served = micros(p.getTimestamp(1));
      String user = p.<String, String>getJavaMap(2).get("user_id");
      long clicks = 0;
      Double max = null;
      for (Row l : labels) {
        long at = micros(l.getTimestamp(2));
        if ("click".equals(l.getString(0))
            && p.getString(0).equals(l.getString(3))
            && served <= at
            && at < served + click) {
          clicks++;
        }
        if ("purchase".equals(l.getString(0))
            && user != null
            && user.equals(new HashMap<>(l.<String, String>getJavaMap(4)).get("user_id"))
            && served <= at
            && at < served + purchase) {
          max = max == null ? l.getDouble(1) : Math.max(max, l.getDouble(1));
        }
      }
      out.put(p.getString(0), java.util.Arrays.asList((double) clicks, clicks, max));
    }
    return out;
  }

  private static long micros(Timestamp t) {
    return TimeUnit.SECONDS.toMicros(Math.floorDiv(t.getTime(), 1000)) + t.getNanos() / 1000;
  }
}
