package dev.logwait.logger.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.logwait.logger.bandit.RouterStats.Ignored;
import dev.logwait.logger.bandit.RouterStats.Source;
import dev.logwait.schema.SingleObjectCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The router's logic without a broker: posteriors arrive through update(). */
class RouterTest {
  static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
  final TestClock clock = new TestClock(T0);
  Router router;

  @AfterEach
  void close() {
    if (router != null) {
      router.close();
    }
  }

  RouterBuilder builder(String... arms) {
    return Router.builder("layout").arms(arms).clock(clock).seed(17);
  }

  /** A BINARY posterior published now: per arm, weight and reward sum. */
  RouterPosterior binary(Object... armWeightReward) {
    List<ArmStatistics> arms = new java.util.ArrayList<>();
    for (int i = 0; i < armWeightReward.length; i += 3) {
      double w = ((Number) armWeightReward[i + 1]).doubleValue();
      double r = ((Number) armWeightReward[i + 2]).doubleValue();
      arms.add(new ArmStatistics((String) armWeightReward[i], w, r, r, (long) w, 7));
    }
    return new RouterPosterior(
        "layout",
        clock.instant(),
        "logwait.training_layout",
        42L,
        clock.instant().minusSeconds(60),
        "click",
        RewardKind.BINARY,
        1.0,
        1.0,
        null,
        arms);
  }

  @Test
  void withoutAPosteriorItChoosesByTheFallbackWeightsWithTheFloorsCounted() {
    router = builder("a", "b", "c").fallbackWeights(Map.of("a", 8.0, "b", 2.0)).floor(0.05).build();
    RouterStats s = router.stats();
    assertThat(s.source()).isEqualTo(Source.FALLBACK_NO_POSTERIOR);
    // c weighs 0: exactly its floor; a and b share the other 85% as 8:2
    assertThat(s.shares().get("c")).isCloseTo(0.05, within(0x1p-31));
    assertThat(s.shares().get("a")).isCloseTo(0.05 + 0.85 * 0.8, within(0x1p-31));
    assertThat(s.shares().get("b")).isCloseTo(0.05 + 0.85 * 0.2, within(0x1p-31));
    assertThat(s.shares().values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(1.0);
    for (int i = 0; i < 1_000; i++) {
      long choice = router.choose();
      assertThat(router.isFallback(choice)).isTrue();
      assertThat(router.propensity(choice)).isEqualTo(s.shares().get(router.arm(choice)));
    }
    s = router.stats();
    assertThat(s.fallbackChoices()).isEqualTo(1_000);
    assertThat(s.choices().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1_000);
    assertThat(s.posteriorAge()).isNull();
    assertThat(s.trainingSnapshot()).isNull();
    assertThat(s.waiting())
        .containsExactly(Map.entry("a", 0L), Map.entry("b", 0L), Map.entry("c", 0L));
  }

  @Test
  void aPosteriorBecomesTheShares_theLoggedPropensityIsTheTablesProbability() {
    router = builder("a", "b").build();
    // a: 100 clicks in 1000, b: 200 in 1000; b is best with probability ~1
    assertThat(router.update(binary("a", 1000, 100, "b", 1000, 200))).isTrue();
    RouterStats s = router.stats();
    assertThat(s.source()).isEqualTo(Source.POSTERIOR);
    assertThat(s.shares().get("a")).isCloseTo(0.005, within(0x1p-31)); // the default floor 0.01/2
    assertThat(s.shares().get("b")).isCloseTo(0.995, within(0x1p-31));
    assertThat(s.trainingSnapshot()).isEqualTo(42L);
    assertThat(s.labelWatermark()).isEqualTo(T0.minusSeconds(60));
    assertThat(s.posteriorAge()).isEqualTo(Duration.ZERO);
    assertThat(s.waiting()).containsEntry("a", 7L).containsEntry("b", 7L);
    assertThat(s.posteriorsApplied()).isEqualTo(1);
    int[] seen = new int[2];
    for (int i = 0; i < 200_000; i++) {
      long choice = router.choose();
      assertThat(router.isFallback(choice)).isFalse();
      assertThat(router.propensity(choice)).isEqualTo(s.shares().get(router.arm(choice)));
      seen[router.armIndex(choice)]++;
    }
    // 200k draws of p = 0.005: mean 1000, standard deviation 31.5
    assertThat(seen[0]).isBetween(850, 1150);
    assertThat(router.stats().choices()).containsEntry("a", (long) seen[0]);
    assertThat(router.stats().fallbackChoices()).isZero();
  }

  @Test
  void aDominatedArmKeepsExactlyItsFloor() {
    router = builder("a", "b", "c").floor(0.1).floor("c", 0.2).build();
    router.update(binary("a", 1e6, 1e5, "b", 1e6, 2e5, "c", 1e6, 1e4));
    RouterStats s = router.stats();
    assertThat(s.shares().get("a")).isCloseTo(0.1, within(0x1p-31));
    assertThat(s.shares().get("c")).isCloseTo(0.2, within(0x1p-31));
    assertThat(s.shares().get("b")).isCloseTo(0.7, within(0x1p-31));
  }

  @Test
  void aPosteriorOlderThanTheMaximumAgeFallsBack_countedOnce_andANewerOneTakesOver() {
    router = builder("a", "b").maxPosteriorAge(Duration.ofMinutes(30)).build();
    router.update(binary("a", 1000, 100, "b", 1000, 200));
    clock.advance(Duration.ofMinutes(30));
    router.policy().checkAge();
    assertThat(router.stats().source())
        .as("30 minutes is not older than 30")
        .isEqualTo(Source.POSTERIOR);
    clock.advance(Duration.ofSeconds(1));
    router.policy().checkAge();
    router.policy().checkAge();
    RouterStats s = router.stats();
    assertThat(s.source()).isEqualTo(Source.FALLBACK_STALE);
    assertThat(s.staleFallbacks()).isEqualTo(1);
    assertThat(s.posteriorAge()).isEqualTo(Duration.ofMinutes(30).plusSeconds(1));
    assertThat(s.shares()).containsEntry("a", 0.5).containsEntry("b", 0.5);
    assertThat(router.isFallback(router.choose())).isTrue();
    assertThat(router.stats().fallbackChoices()).isEqualTo(1);

    router.update(binary("a", 1000, 300, "b", 1000, 200)); // published now: fresh
    s = router.stats();
    assertThat(s.source()).isEqualTo(Source.POSTERIOR);
    assertThat(s.shares().get("a")).isCloseTo(0.995, within(0x1p-31));

    // one that is already too old when it arrives is kept, and not used
    router.update(binary("a", 1000, 100, "b", 1000, 200).publishedAt(T0));
    s = router.stats();
    assertThat(s.source()).isEqualTo(Source.FALLBACK_STALE);
    assertThat(s.staleFallbacks()).isEqualTo(2);
  }

  @Test
  void theBackgroundThreadAgesThePosteriorWithoutAnyCall() {
    router =
        builder("a", "b")
            .maxPosteriorAge(Duration.ofMinutes(1))
            .tick(Duration.ofMillis(10))
            .build();
    router.update(binary("a", 1000, 100, "b", 1000, 200));
    clock.advance(Duration.ofMinutes(2));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> router.stats().source() == Source.FALLBACK_STALE);
    assertThat(router.stats().staleFallbacks()).isEqualTo(1);
  }

  @Test
  void garbageUnknownSchemasOtherRoutersOtherKindsAndBadNumbersAreIgnoredAndCounted() {
    router = builder("a", "b").build();
    assertThat(router.update(new byte[] {1, 2, 3})).isFalse();
    assertThat(router.update((byte[]) null)).isFalse();
    byte[] unknown = new byte[20];
    SingleObjectCodec.writeHeader(unknown, 0, 0x1234_5678_9abc_def0L);
    assertThat(router.update(unknown)).isFalse();
    byte[] good = binary("a", 10, 1, "b", 10, 2).encode();
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
    assertThat(router.update(truncated)).isFalse();
    RouterPosterior other =
        new RouterPosterior(
            "ranker", T0, "t", 1L, null, "click", RewardKind.BINARY, 1, 1, null, List.of());
    assertThat(router.update(other)).isFalse();
    assertThat(router.update(RouterPosterior.of("layout", RewardKind.NUMERIC))).isFalse();
    assertThat(router.update(binary("a", -1, 0))).isFalse();
    assertThat(router.update(binary("a", 10, 11))).isFalse(); // 11 clicks in 10
    assertThat(router.update(binary("a", Double.NaN, 0))).isFalse();
    assertThat(router.update(binary("a", 10, 1, "a", 10, 2))).isFalse(); // an arm twice

    RouterStats s = router.stats();
    assertThat(s.source()).isEqualTo(Source.FALLBACK_NO_POSTERIOR);
    assertThat(s.posteriorsReceived()).isEqualTo(10);
    assertThat(s.posteriorsApplied()).isZero();
    assertThat(s.posteriorsIgnored())
        .containsEntry(Ignored.UNDECODABLE, 3L)
        .containsEntry(Ignored.UNKNOWN_FINGERPRINT, 1L)
        .containsEntry(Ignored.OTHER_ROUTER, 1L)
        .containsEntry(Ignored.REWARD_KIND, 1L)
        .containsEntry(Ignored.INVALID, 4L);

    // a good one after all that is used, and garbage afterwards does not displace it
    assertThat(router.update(good)).isTrue();
    assertThat(router.update(new byte[] {(byte) 0xC3, 1})).isFalse();
    assertThat(router.stats().source()).isEqualTo(Source.POSTERIOR);
    assertThat(router.stats().posteriorsIgnored()).containsEntry(Ignored.UNDECODABLE, 4L);
  }

  @Test
  void armsComeFromConfiguration_unknownArmsAreLeftOut_anArmWithoutStatisticsGetsThePrior() {
    router = builder("a", "new").build();
    // "old" was removed from the configuration; "new" has no rows yet
    router.update(binary("a", 1000, 10, "old", 1000, 900));
    RouterStats s = router.stats();
    assertThat(s.unknownArms()).containsExactly("old");
    assertThat(s.waiting()).containsEntry("new", 0L);
    // a: Beta(11, 991), a rate near 1%; new: Beta(1, 1), above 1% with probability 0.99
    assertThat(s.shares().get("new")).isCloseTo(0.005 + 0.99 * 0.99, within(0.01));
    assertThat(s.source()).isEqualTo(Source.POSTERIOR);
  }

  @Test
  void numericRewardsUseNormalPosteriorsShrunkTowardsThePooledMean() {
    router = builder("a", "b", "c").rewardKind(RewardKind.NUMERIC).build();
    // a: mean 10 over 400 rows, b: mean 12 over 400 rows, both with variance 4; c: no rows
    RouterPosterior p =
        new RouterPosterior(
            "layout",
            T0,
            "t",
            1L,
            null,
            "revenue",
            RewardKind.NUMERIC,
            1,
            1,
            null,
            List.of(
                new ArmStatistics("a", 400, 400 * 10.0, 400 * (100 + 4.0), 400, 0),
                new ArmStatistics("b", 400, 400 * 12.0, 400 * (144 + 4.0), 400, 0)));
    assertThat(router.update(p)).isTrue();
    RouterStats s = router.stats();
    // b's mean is 2 above a's with a standard error of ~0.14: a never wins. c is Normal(11, 5):
    // pooled mean 11, pooled variance 4 + 1 = 5, as uncertain as one reward, so above b's ~12
    // with probability ~0.33.
    assertThat(s.shares().get("a")).isCloseTo(0.01 / 3, within(0.001));
    assertThat(s.shares().get("c")).isCloseTo(0.33, within(0.03));
    assertThat(s.shares().get("b")).isCloseTo(0.67, within(0.03));
  }

  @Test
  void aPinnedRouterAlwaysChoosesItsArmWithPropensityOne() {
    router = builder("a", "b", "c").pin("b").bootstrapServers("unused.invalid:9092").build();
    for (int i = 0; i < 1_000; i++) {
      long choice = router.choose();
      assertThat(router.arm(choice)).isEqualTo("b");
      assertThat(router.propensity(choice)).isEqualTo(1.0);
      assertThat(router.isFallback(choice)).isFalse();
    }
    router.update(binary("a", 1000, 900, "b", 1000, 1));
    RouterStats s = router.stats();
    assertThat(s.source()).isEqualTo(Source.PINNED);
    assertThat(s.choices()).containsEntry("b", 1_000L).containsEntry("a", 0L);
    assertThat(s.shares()).containsEntry("b", 1.0).containsEntry("a", 0.0);
    assertThat(s.posteriorsReceived()).isEqualTo(1);
  }

  @Test
  void invalidSettingsFailAtBuildTimeNamingTheSetting() {
    assertThatThrownBy(() -> Router.builder(" ")).hasMessage("router name must not be blank");
    assertThatThrownBy(() -> Router.builder("r").build())
        .hasMessage("router r has no arms: call arms(\"a\", \"b\", ...)");
    assertThatThrownBy(() -> Router.builder("r").arms("a", "a"))
        .hasMessage("arm a is named twice: [a, a]");
    assertThatThrownBy(() -> Router.builder("r").arms())
        .hasMessage("arms must name 1 to 1024 arms, was 0");
    assertThatThrownBy(() -> Router.builder("r").floor(0))
        .hasMessage("floor must be in [1.0E-6, 1), was 0.0");
    assertThatThrownBy(() -> Router.builder("r").arms("a", "b").floor(0.5).build())
        .hasMessageContaining("the floors of router r sum to 1.0; they must leave room");
    assertThatThrownBy(() -> Router.builder("r").arms("a", "b").floor("z", 0.1).build())
        .hasMessage("floor names arm z, which router r does not have: [a, b]");
    assertThatThrownBy(() -> Router.builder("r").fallbackWeights(Map.of("a", -1.0)))
        .hasMessage("fallbackWeights(a) must be finite and >= 0, was -1.0");
    assertThatThrownBy(() -> Router.builder("r").fallbackWeights(Map.of("a", 0.0)))
        .hasMessageContaining("fallbackWeights must give at least one arm a positive weight");
    assertThatThrownBy(
            () -> Router.builder("r").arms("a").fallbackWeights(Map.of("b", 1.0)).build())
        .hasMessage("fallbackWeights names arm b, which router r does not have: [a]");
    assertThatThrownBy(() -> Router.builder("r").arms("a").pin("b").build())
        .hasMessage("pin names arm b, which router r does not have: [a]");
    assertThatThrownBy(() -> Router.builder("r").maxPosteriorAge(Duration.ZERO))
        .hasMessage("maxPosteriorAge must be positive, was PT0S");
    assertThatThrownBy(() -> Router.builder("r").monteCarloDraws(10))
        .hasMessage("monteCarloDraws must be between 100 and 10000000, was 10");
    assertThatThrownBy(() -> Router.builder("r").topic("bad topic"))
        .hasMessage("topic 'bad topic' is not a valid Kafka topic name");
    assertThatThrownBy(() -> Router.builder("r").consumerProperty("group.id", "g"))
        .hasMessageContaining("consumer property group.id is fixed by logwait");
    assertThatThrownBy(
            () ->
                Router.builder("r")
                    .arms("a")
                    .bootstrapServers("h:1")
                    .consumerProperty("fetch.max.wait.ms", "soon")
                    .build())
        .hasMessageContaining("Invalid consumer property")
        .hasMessageContaining("fetch.max.wait.ms");
  }
}
