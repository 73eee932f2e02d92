package dev.logwait.joiner.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.joiner.config.RewardKind;
import dev.logwait.joiner.config.RouterSpec;
import dev.logwait.schema.LogwaitSchemas;
import dev.logwait.schema.MalformedMessageException;
import dev.logwait.schema.SchemaStore;
import dev.logwait.schema.SingleObjectCodec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The published message: the shipped schema's fields, from a router's state and its waiting. */
class PosteriorTest {
  private final RouterSpec spec =
      new RouterSpec(
          "layout",
          "training_ranker",
          "action",
          "click",
          RewardKind.BINARY,
          2,
          30,
          Duration.ofHours(12),
          true,
          List.of());

  private final RouterState state =
      new RouterState(
          "layout",
          "training_ranker",
          42L,
          1_780_000_000_000_000L,
          RouterState.specOf(spec),
          new Statistics(
              List.of(new ArmSums("b", 40, 3, 3, 10), new ArmSums("a", 12.5, 1.5, 1.5, 9))),
          1,
          "run-1",
          false);

  @Test
  void everyArmWithRowsOrWaitingPredictionsIsInTheMessage() {
    Posterior p = Posterior.of(spec, state, Map.of("b", 4L, "c", 2L, "d", 0L), 77L);
    assertThat(p.arms())
        .containsExactly(
            new Posterior.Arm("a", 12.5, 1.5, 1.5, 9, 0),
            new Posterior.Arm("b", 40, 3, 3, 10, 4),
            new Posterior.Arm("c", 0, 0, 0, 0, 2));
    assertThat(p.halfLifeSeconds()).isEqualTo(43_200.0);
    assertThat(p.priorAlpha()).isEqualTo(2);
    assertThat(p.trainingSnapshot()).isEqualTo(42L);
  }

  @Test
  void theMessageDecodesWithTheShippedSchema() {
    Posterior p = Posterior.of(spec, state, Map.of("a", 1L), 77L);
    byte[] bytes = p.encode();
    assertThat(SingleObjectCodec.readFingerprint(bytes))
        .isEqualTo(SingleObjectCodec.fingerprint(LogwaitSchemas.routerPosterior()));
    SchemaStore store = new SchemaStore();
    store.add(LogwaitSchemas.routerPosterior());
    GenericRecord r = SingleObjectCodec.decode(bytes, store);
    assertThat(r.get("router").toString()).isEqualTo("layout");
    assertThat(r.get("training_snapshot")).isEqualTo(42L);
    assertThat(r.get("label_watermark")).isEqualTo(1_780_000_000_000_000L);
    assertThat(r.get("reward_kind").toString()).isEqualTo("BINARY");
    assertThat(r.get("half_life_seconds")).isEqualTo(43_200.0);
    assertThat(Posterior.decode(bytes, Posterior.shippedSchemas())).isEqualTo(p);
    assertThatThrownBy(() -> Posterior.decode(new byte[] {1, 2, 3}, Posterior.shippedSchemas()))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void aNumericRouterWithoutDecayStatesNoHalfLifeAndNoWatermarkWhereThereIsNone() {
    RouterSpec numeric =
        new RouterSpec(
            "rev",
            "training_ranker",
            "model_version",
            "spend",
            RewardKind.NUMERIC,
            1,
            1,
            null,
            false,
            List.of());
    RouterState s =
        new RouterState("rev", "training_ranker", 7, null, "x", Statistics.EMPTY, 1, "run-1", true);
    Posterior p = Posterior.of(numeric, s, Map.of(), 5L);
    assertThat(p.arms()).isEmpty();
    Posterior back = Posterior.decode(p.encode(), Posterior.shippedSchemas());
    assertThat(back.halfLifeSeconds()).isNull();
    assertThat(back.labelWatermarkMicros()).isNull();
    assertThat(back.rewardKind()).isEqualTo(RewardKind.NUMERIC);
  }
}
