package dev.logwait.logger.bandit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.schema.LogwaitSchemas;
import dev.logwait.schema.MalformedMessageException;
import dev.logwait.schema.MalformedMessageException.Reason;
import dev.logwait.schema.SingleObjectCodec;
import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class RouterPosteriorTest {
  static final RouterPosterior P =
      new RouterPosterior(
          "layout",
          Instant.parse("2026-11-02T10:00:00.123456Z"),
          "logwait.training_layout",
          8902477284603418493L,
          Instant.parse("2026-11-02T09:00:00Z"),
          "click",
          RewardKind.BINARY,
          2.0,
          30.0,
          86_400.0,
          List.of(
              new ArmStatistics("grid", 1234.5, 61.25, 61.25, 1300, 17),
              new ArmStatistics("list", 0, 0, 0, 0, 4)));

  @Test
  void encodesAndDecodesEqual() {
    assertThat(RouterPosterior.decode(P.encode())).isEqualTo(P);
    RouterPosterior noWatermark =
        new RouterPosterior(
            "r", Instant.EPOCH, "t", 0, null, "x", RewardKind.NUMERIC, 1, 1, null, List.of());
    assertThat(RouterPosterior.decode(noWatermark.encode())).isEqualTo(noWatermark);
  }

  @Test
  void readsAMessageWrittenWithTheSchemaAsTheJoinerWritesIt() {
    GenericRecord r = new GenericData.Record(LogwaitSchemas.routerPosterior());
    r.put("router", "layout");
    r.put("published_at", 1_000_000L);
    r.put("training_table", "t");
    r.put("training_snapshot", 5L);
    r.put("label_watermark", null);
    r.put("reward", "click");
    r.put(
        "reward_kind",
        new GenericData.EnumSymbol(
            LogwaitSchemas.routerPosterior().getField("reward_kind").schema(), "BINARY"));
    r.put("prior_alpha", 1.0);
    r.put("prior_beta", 1.0);
    r.put("half_life_seconds", null);
    GenericRecord arm =
        new GenericData.Record(
            LogwaitSchemas.routerPosterior().getField("arms").schema().getElementType());
    arm.put("arm", "a");
    arm.put("weight", 10.0);
    arm.put("reward_sum", 2.0);
    arm.put("reward_sum_squares", 2.0);
    arm.put("rows", 10L);
    arm.put("waiting", 3L);
    r.put("arms", List.of(arm));
    RouterPosterior p = RouterPosterior.decode(SingleObjectCodec.encode(r));
    assertThat(p.publishedAt()).isEqualTo(Instant.ofEpochSecond(1));
    assertThat(p.arms()).containsExactly(new ArmStatistics("a", 10, 2, 2, 10, 3));
  }

  @Test
  void badBytesAreAMalformedMessageNamingTheReason() {
    assertThatThrownBy(() -> RouterPosterior.decode(new byte[0]))
        .isInstanceOf(MalformedMessageException.class)
        .extracting(e -> ((MalformedMessageException) e).reason())
        .isEqualTo(Reason.EMPTY);
    byte[] unknown = new byte[12];
    SingleObjectCodec.writeHeader(unknown, 0, 99L);
    assertThatThrownBy(() -> RouterPosterior.decode(unknown))
        .hasMessageContaining("UNKNOWN_FINGERPRINT: no known writer schema has fingerprint");
    byte[] good = P.encode();
    assertThatThrownBy(() -> RouterPosterior.decode(java.util.Arrays.copyOf(good, 14)))
        .isInstanceOf(MalformedMessageException.class);
  }
}
