package dev.logwait.joiner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.joiner.cli.JoinerMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code routers:} list: its defaults, and what it refuses before Spark starts. */
class RouterSpecsTest {
  private static final String LABELS =
      "labels:\n"
          + "  - {name: click, window: 30m, aggregation: exists}\n"
          + "  - {name: spend, window: 1h, aggregation: sum}\n"
          + "  - {name: clicks, window: 1h, aggregation: count}\n"
          + "  - {name: rating, window: 1h, aggregation: last}\n";

  @TempDir Path dir;

  private JoinerConfig load(String routers) throws Exception {
    Path f = Files.createTempFile(dir, "joiner", ".yaml");
    Files.writeString(f, LABELS + "routers:\n" + routers);
    return JoinerConfig.load(f, Map.of());
  }

  @Test
  void aRouterNeedsANameATableAndARewardTheRestHasDefaults() throws Exception {
    List<RouterSpec> routers =
        load("  - {name: layout, table: ranker, reward: click}\n"
                + "  - name: versions\n"
                + "    table: training_ranker\n"
                + "    arm-column: model_version\n"
                + "    reward: spend\n"
                + "    half-life: 7d\n"
                + "    arms: [v1, v2]\n")
            .routers();
    assertThat(routers)
        .containsExactly(
            new RouterSpec(
                "layout",
                "training_ranker",
                "action",
                "click",
                RewardKind.BINARY,
                1,
                1,
                null,
                true,
                List.of()),
            new RouterSpec(
                "versions",
                "training_ranker",
                "model_version",
                "spend",
                RewardKind.NUMERIC,
                1,
                1,
                Duration.ofDays(7),
                false,
                List.of("v1", "v2")));
    assertThat(routers.get(0).featureSet()).isEqualTo("ranker");
    assertThat(routers.get(0).rewardColumn()).isEqualTo("label_click");
    assertThat(routers.get(1).halfLifeMicros()).isEqualTo(7 * 86_400_000_000L);
    assertThat(JoinerConfig.defaults().routers()).isEmpty();
  }

  @Test
  void theRewardKindFollowsTheLabelUnlessSet() throws Exception {
    JoinerConfig c =
        load(
            "  - {name: a, table: t, reward: rating}\n"
                + "  - {name: b, table: t, reward: rating, reward-kind: binary,"
                + " prior: {alpha: 2, beta: 30}, only-own-choices: false}\n"
                + "  - {name: c, table: t, reward: click, reward-kind: numeric}\n");
    assertThat(c.routers())
        .extracting(RouterSpec::rewardKind)
        .containsExactly(RewardKind.NUMERIC, RewardKind.BINARY, RewardKind.NUMERIC);
    assertThat(c.routers().get(1).priorAlpha()).isEqualTo(2);
    assertThat(c.routers().get(1).priorBeta()).isEqualTo(30);
    assertThat(c.routers().get(1).onlyOwnChoices()).isFalse();
  }

  @Test
  void everyProblemIsNamedByItsKey() throws Exception {
    assertThatThrownBy(
            () ->
                load(
                    "  - {name: a, table: t, reward: click, colour: red}\n"
                        + "  - {name: b, reward: click}\n"
                        + "  - {name: c, table: t, reward: click, arm-column: country}\n"
                        + "  - {name: d, table: t, reward: purchase}\n"
                        + "  - {name: e, table: t, reward: clicks, reward-kind: binary}\n"
                        + "  - {name: f, table: t, reward: spend, prior: {alpha: 2, beta: 3}}\n"
                        + "  - {name: g, table: t, reward: click, prior: {alpha: 0}}\n"
                        + "  - {name: h, table: t, reward: click, half-life: 0s}\n"
                        + "  - {name: i, table: t, reward: click, arms: [x, x]}\n"
                        + "  - {name: a, table: t, reward: click}\n"
                        + "  - {name: j, table: t, reward: click, only-own-choices: maybe}\n"
                        + "  - {name: k, table: t, reward: click, reward-kind: poisson}\n"
                        + "  - {name: Bad, table: t, reward: click}\n"
                        + "  - {name: l, table: 'a-b', reward: click}\n"
                        + "  - {name: m, table: t}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("routers[0].colour: unknown; use name, table, arm-column, reward")
        .hasMessageContaining("routers[1].table: must name the router's training table")
        .hasMessageContaining(
            "routers[2].arm-column: 'country' is not one of action, model_version, model_name")
        .hasMessageContaining(
            "routers[3].reward: 'purchase' is not a label spec; name one of [click, spend,"
                + " clicks, rating]")
        .hasMessageContaining(
            "routers[4].reward-kind: binary needs rewards in [0, 1], and label 'clicks' (count,"
                + " default 0.0) can give others; use numeric")
        .hasMessageContaining("routers[5].prior: a Beta prior applies to binary rewards only")
        .hasMessageContaining("routers[6].prior.alpha: must be a number above 0, was 0")
        .hasMessageContaining("routers[7].half-life: must be longer than zero")
        .hasMessageContaining("routers[8].arms: 'x' is listed twice")
        .hasMessageContaining("routers[9].name: 'a' is declared twice")
        .hasMessageContaining("routers[10].only-own-choices: must be true or false, was \"maybe\"")
        .hasMessageContaining("routers[11].reward-kind: 'poisson' is not a reward kind")
        .hasMessageContaining("routers[12].name: 'Bad' must be lower-case letters")
        .hasMessageContaining("routers[13].table: 'a-b' is not a feature set name")
        .hasMessageContaining("routers[14].reward: must name the label spec");
  }

  @Test
  void theCliRefusesABadRouterBeforeSparkStarts() throws Exception {
    Path f = Files.createTempFile(dir, "joiner", ".yaml");
    Files.writeString(f, LABELS + "routers:\n  - {name: a, table: t, reward: nope}\n");
    assertThat(JoinerMain.execute("run", "--config", f.toString())).isEqualTo(2);
    Path notAList = Files.createTempFile(dir, "joiner", ".yaml");
    Files.writeString(notAList, LABELS + "routers: {name: a}\n");
    assertThatThrownBy(() -> JoinerConfig.load(notAList, Map.of()))
        .hasMessageContaining("routers: expected a list of routers");
  }

  @Test
  void thePosteriorsTopicIsATopicOfItsOwn() {
    assertThat(JoinerConfig.defaults().get(ConfigKey.POSTERIORS_TOPIC))
        .isEqualTo("logwait-posteriors");
    assertThatThrownBy(
            () ->
                JoinerConfig.load(
                    null,
                    Map.of(
                        "kafka.posteriors-topic",
                        JoinerConfig.defaults().get(ConfigKey.SCHEMAS_TOPIC))))
        .hasMessageContaining(
            "kafka.posteriors-topic: 'logwait-schemas' is also kafka.schemas-topic; the posteriors"
                + " need a compacted topic of their own");
    assertThatThrownBy(() -> JoinerConfig.load(null, Map.of("kafka.posteriors-topic", "a b")))
        .hasMessageContaining("kafka.posteriors-topic: 'a b' is not a Kafka topic name");
  }

  @Test
  void routersEnterTheConfigHashAndAConfigWithoutRoutersKeepsItsHash() throws Exception {
    Path plain = Files.createTempFile(dir, "joiner", ".yaml");
    Files.writeString(plain, LABELS);
    String without = JoinerConfig.load(plain, Map.of()).hash();
    Path empty = Files.createTempFile(dir, "joiner", ".yaml");
    Files.writeString(empty, LABELS + "routers: []\n");
    assertThat(JoinerConfig.load(empty, Map.of()).hash()).isEqualTo(without);
    assertThat(load("  - {name: a, table: t, reward: click}\n").hash()).isNotEqualTo(without);
  }
}
