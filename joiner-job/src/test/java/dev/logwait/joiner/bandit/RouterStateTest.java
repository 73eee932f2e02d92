package dev.logwait.joiner.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.joiner.LocalSparkTest;
import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.config.RewardKind;
import dev.logwait.joiner.config.RouterSpec;
import dev.logwait.joiner.table.ConcurrentRunException;
import dev.logwait.joiner.table.Tables;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A router's statistics on real Iceberg tables in a local session: equal to the sums over the table
 * at its snapshot after every kind of commit (appends read incrementally, a restatement or a
 * deletion recomputed), committed with a compare-and-swap, and its open predictions counted.
 */
class RouterStateTest extends LocalSparkTest {
  private static final long T0 = 1_780_000_000_000_000L;
  private static final long MIN = 60_000_000L;
  private static final String TRAINING =
      "prediction_id STRING, served_at TIMESTAMP, action STRING, model_version STRING,"
          + " propensity DOUBLE, weight DOUBLE, label_click DOUBLE, label_spend DOUBLE";

  @TempDir Path warehouse;
  private Tables tables;
  private final List<Row> written = new ArrayList<>();
  private final Random rnd = new Random(11);
  private int seq;

  private final RouterSpec ctr =
      new RouterSpec(
          "ctr", "training_t", "action", "click", RewardKind.BINARY, 1, 1, null, true, List.of());
  private final RouterSpec spend =
      new RouterSpec(
          "spend",
          "training_t",
          "model_version",
          "spend",
          RewardKind.NUMERIC,
          1,
          1,
          Duration.ofHours(1),
          false,
          List.of("v1", "v2"));

  @BeforeEach
  void tables() {
    String catalog = "router" + System.nanoTime();
    spark.conf().set("spark.sql.catalog." + catalog, "org.apache.iceberg.spark.SparkCatalog");
    spark.conf().set("spark.sql.catalog." + catalog + ".type", "hadoop");
    spark.conf().set("spark.sql.catalog." + catalog + ".warehouse", warehouse.toString());
    tables = new Tables(spark, catalog + ".ns");
    spark.sql("CREATE NAMESPACE " + catalog + ".ns");
    spark.sql("CREATE TABLE " + tables.name("training_t") + " (" + TRAINING + ") USING iceberg");
  }

  /** Appends {@code n} rows, final through {@code wm}, in one commit. */
  private void append(int n, long wm) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      seq++;
      boolean own = rnd.nextInt(4) > 0;
      String action = rnd.nextBoolean() ? "a" : "b";
      rows.add(
          RowFactory.create(
              "p" + seq,
              new Timestamp((wm - 30 * MIN - rnd.nextInt(600) * MIN) / 1000),
              own ? action : (rnd.nextBoolean() ? null : action),
              rnd.nextInt(3) == 0 ? "v2" : (rnd.nextInt(5) == 0 ? "v3" : "v1"),
              own ? 0.5 : null,
              rnd.nextBoolean() ? 1.0 : 4.0,
              rnd.nextInt(5) == 0 ? 1.0 : 0.0,
              rnd.nextInt(6) == 0 ? null : rnd.nextDouble() * 20));
    }
    written.addAll(rows);
    try {
      spark
          .createDataFrame(rows, StructType.fromDDL(TRAINING))
          .writeTo(tables.name("training_t"))
          .option("snapshot-property.logwait.cutoff", String.valueOf(wm))
          .option("snapshot-property.logwait.open-from", String.valueOf(wm - 30 * MIN))
          .append();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A row-level change whose snapshot is final through {@code wm}. */
  private void sql(String statement, long wm) {
    CommitMetadata.withCommitProperties(
        Map.of("logwait.cutoff", String.valueOf(wm)),
        () -> spark.sql(statement),
        RuntimeException.class);
  }

  /** The update step alone (it publishes nothing, so the configuration's Kafka is not used). */
  private RouterUpdates updates() {
    return new RouterUpdates(
        spark, JoinerConfig.defaults(), tables, "test", new PrintStream(System.out));
  }

  /** The sums over the table as it is, row by row in plain Java. */
  private Statistics oracle(RouterSpec r, long wm) {
    List<ArmSums> out = new ArrayList<>();
    for (Row x : tables.readAt("training_t", tables.snapshotId("training_t")).collectAsList()) {
      String arm = x.getAs(r.armColumn());
      Double reward = x.getAs(r.rewardColumn());
      if (arm == null || reward == null || (!r.arms().isEmpty() && !r.arms().contains(arm))) {
        continue;
      }
      if (r.onlyOwnChoices() && (x.getAs("propensity") == null || !arm.equals(x.getAs("action")))) {
        continue;
      }
      double w = x.<Double>getAs("weight");
      if (r.halfLifeMicros() != null) {
        long served = x.<Timestamp>getAs("served_at").getTime() * 1000;
        w *= Math.pow(0.5, (double) (wm - served) / r.halfLifeMicros());
      }
      out.add(new ArmSums(arm, w, w * reward, w * reward * reward, 1));
    }
    return new Statistics(out);
  }

  @Test
  void everySnapshotsStatisticsEqualTheSumsOverTheTable() {
    RouterUpdates u = updates();
    long wm = T0;
    append(200, wm);
    Map<String, Long> counts = new LinkedHashMap<>();
    RouterState first = u.update(ctr, counts);
    u.update(spend, counts);
    assertThat(counts)
        .containsEntry("router_recomputed.ctr", 1L)
        .containsEntry("router_recomputed.spend", 1L);
    assertThat(first.trainingSnapshot()).isEqualTo(tables.snapshotId("training_t"));
    assertThat(first.labelWatermarkMicros()).isEqualTo(wm);
    StatisticsTest.assertClose(first.statistics(), oracle(ctr, wm));

    for (int step = 1; step <= 3; step++) { // appends: read incrementally, decayed
      wm += 45 * MIN;
      append(50 + step, wm);
      append(7, wm + MIN);
      wm += MIN;
      counts.clear();
      RouterState c = u.update(ctr, counts);
      RouterState s = u.update(spend, counts);
      assertThat(counts).doesNotContainKeys("router_recomputed.ctr", "router_recomputed.spend");
      assertThat(c.recomputed()).isFalse();
      StatisticsTest.assertClose(c.statistics(), oracle(ctr, wm));
      StatisticsTest.assertClose(s.statistics(), oracle(spend, wm));
      assertThat(new StateTable(spark, tables).read().get("spend")).isEqualTo(s);
    }
    assertThat(oracle(spend, wm).arms())
        .extracting(ArmSums::arm)
        .containsExactly("v1", "v2"); // v3 is not one of the router's arms

    counts.clear(); // nothing new: the state as it is
    RouterState again = u.update(ctr, counts);
    assertThat(counts).containsEntry("router_rows.ctr", 0L);
    assertThat(again).isEqualTo(new StateTable(spark, tables).read().get("ctr"));

    // a restatement (an overwrite) and a deletion, which carry the table's properties as logwait's
    // do: computed from the whole table
    sql("UPDATE " + tables.name("training_t") + " SET label_click = 1 WHERE action = 'b'", wm);
    counts.clear();
    StatisticsTest.assertClose(u.update(ctr, counts).statistics(), oracle(ctr, wm));
    assertThat(counts).containsEntry("router_recomputed.ctr", 1L);
    sql("DELETE FROM " + tables.name("training_t") + " WHERE model_version = 'v1'", wm);
    counts.clear();
    StatisticsTest.assertClose(u.update(spend, counts).statistics(), oracle(spend, wm));
    assertThat(counts).containsEntry("router_recomputed.spend", 1L);
  }

  @Test
  void aCommitFromAStaleReadIsRefusedAndChangesNothing() {
    append(20, T0);
    StateTable states = new StateTable(spark, tables);
    updates().update(ctr, new LinkedHashMap<>());
    StateTable.Read stale = states.read();
    updates().update(spend, new LinkedHashMap<>()); // another run, meanwhile
    RouterState ours = stale.get("ctr");
    RouterState changed =
        new RouterState(
            "ctr",
            "training_t",
            ours.trainingSnapshot(),
            ours.labelWatermarkMicros(),
            ours.spec(),
            Statistics.EMPTY,
            1,
            "stale",
            true);
    assertThatThrownBy(() -> states.commit(stale, changed))
        .isInstanceOf(ConcurrentRunException.class)
        .hasMessageContaining("after this run read it at snapshot " + stale.snapshotId())
        .hasMessageContaining("router ctr's state was not committed");
    StateTable.Read now = states.read();
    assertThat(now.get("ctr")).isEqualTo(ours);
    assertThat(now.states()).containsOnlyKeys("ctr", "spend");
  }

  @Test
  void aBinaryRewardOutsideZeroToOneIsRefusedNamingTheRouter() {
    append(30, T0);
    RouterSpec wrong =
        new RouterSpec(
            "wrong",
            "training_t",
            "action",
            "spend",
            RewardKind.BINARY,
            1,
            1,
            null,
            true,
            List.of());
    assertThatThrownBy(() -> updates().update(wrong, new LinkedHashMap<>()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("router wrong: reward 'spend' is binary, but ")
        .hasMessageContaining("set reward-kind: numeric for this router");
    assertThat(new StateTable(spark, tables).read().get("wrong")).isNull();
  }

  @Test
  void openPredictionsAreTheLoggedOnesNotYetInTheTable() {
    append(10, T0);
    spark.sql(
        "CREATE TABLE "
            + tables.name(Tables.RAW_PREDICTIONS)
            + " (prediction_id STRING, served_at TIMESTAMP, feature_set STRING, action STRING,"
            + " model_version STRING, propensity DOUBLE, sample_rate DOUBLE) USING iceberg");
    List<Row> raw = new ArrayList<>();
    Timestamp recent = new Timestamp((T0 - 10 * MIN) / 1000);
    for (Row w : written) {
      raw.add(
          RowFactory.create(
              w.getString(0), // the columns of TRAINING, by position
              w.get(1),
              "t",
              w.getString(2),
              w.getString(3),
              w.get(4),
              1 / w.getDouble(5)));
    }
    raw.add(RowFactory.create("open1", recent, "t", "a", "v1", 0.5, 1.0));
    raw.add(RowFactory.create("open1", recent, "t", "a", "v1", 0.5, 1.0)); // a duplicate
    raw.add(RowFactory.create("open2", recent, "t", "b", "v1", 0.5, 0.5));
    raw.add(RowFactory.create("open3", recent, "t", "b", "v1", null, 1.0)); // not the router's
    raw.add(RowFactory.create("other", recent, "u", "a", "v1", 0.5, 1.0)); // another set
    spark
        .createDataFrame(
            raw,
            StructType.fromDDL(
                "prediction_id STRING, served_at TIMESTAMP, feature_set STRING, action STRING,"
                    + " model_version STRING, propensity DOUBLE, sample_rate DOUBLE"))
        .coalesce(1)
        .write()
        .mode("append")
        .insertInto(tables.name(Tables.RAW_PREDICTIONS));
    long snapshot = tables.snapshotId("training_t");
    assertThat(OpenPredictions.waiting(OpenPredictions.of(tables, ctr, snapshot)))
        .containsExactly(Map.entry("a", 1L), Map.entry("b", 1L));
    assertThat(
            OpenPredictions.of(tables, ctr, snapshot)
                .where("prediction_id = 'open2'")
                .first()
                .<Double>getAs("weight"))
        .isEqualTo(2.0);
  }
}
