package dev.logwait.logger.bandit;

import dev.logwait.schema.LogwaitSchemas;
import dev.logwait.schema.MalformedMessageException;
import dev.logwait.schema.SchemaStore;
import dev.logwait.schema.SingleObjectCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** {@link RouterPosterior} to and from its single-object encoded Avro message. */
final class PosteriorCodec {
  private static final Schema SCHEMA = LogwaitSchemas.routerPosterior();
  private static final Schema ARM = SCHEMA.getField("arms").schema().getElementType();

  /** Every released version: a router reads what an older or newer joiner of the line wrote. */
  private static final SchemaStore STORE =
      new SchemaStore().addAll(LogwaitSchemas.routerPosteriorHistory());

  static {
    STORE.add(SCHEMA);
  }

  private PosteriorCodec() {}

  static byte[] encode(RouterPosterior p) {
    GenericRecord r = new GenericData.Record(SCHEMA);
    r.put("router", p.router());
    r.put("published_at", micros(p.publishedAt()));
    r.put("training_table", p.trainingTable());
    r.put("training_snapshot", p.trainingSnapshot());
    r.put("label_watermark", p.labelWatermark() == null ? null : micros(p.labelWatermark()));
    r.put("reward", p.reward());
    r.put(
        "reward_kind",
        new GenericData.EnumSymbol(SCHEMA.getField("reward_kind").schema(), p.rewardKind().name()));
    r.put("prior_alpha", p.priorAlpha());
    r.put("prior_beta", p.priorBeta());
    r.put("half_life_seconds", p.halfLifeSeconds());
    List<GenericRecord> arms = new ArrayList<>();
    for (ArmStatistics a : p.arms()) {
      GenericRecord ar = new GenericData.Record(ARM);
      ar.put("arm", a.arm());
      ar.put("weight", a.weight());
      ar.put("reward_sum", a.rewardSum());
      ar.put("reward_sum_squares", a.rewardSumSquares());
      ar.put("rows", a.rows());
      ar.put("waiting", a.waiting());
      arms.add(ar);
    }
    r.put("arms", arms);
    return SingleObjectCodec.encode(r);
  }

  static RouterPosterior decode(byte[] message) {
    GenericRecord r = SingleObjectCodec.decode(message, STORE);
    try {
      List<ArmStatistics> arms = new ArrayList<>();
      for (Object o : (List<?>) r.get("arms")) {
        GenericRecord a = (GenericRecord) o;
        arms.add(
            new ArmStatistics(
                a.get("arm").toString(),
                (Double) a.get("weight"),
                (Double) a.get("reward_sum"),
                (Double) a.get("reward_sum_squares"),
                (Long) a.get("rows"),
                (Long) a.get("waiting")));
      }
      Object watermark = field(r, "label_watermark", null);
      return new RouterPosterior(
          r.get("router").toString(),
          instant((Long) r.get("published_at")),
          r.get("training_table").toString(),
          (Long) r.get("training_snapshot"),
          watermark == null ? null : instant((Long) watermark),
          r.get("reward").toString(),
          RewardKind.valueOf(r.get("reward_kind").toString()),
          (Double) field(r, "prior_alpha", 1.0),
          (Double) field(r, "prior_beta", 1.0),
          (Double) field(r, "half_life_seconds", null),
          arms);
    } catch (RuntimeException e) {
      // A released version that lacks a field this reader needs, or a symbol it does not know.
      throw new MalformedMessageException(
          MalformedMessageException.Reason.INVALID_BODY,
          "router posterior does not read as the current version: " + e,
          e);
    }
  }

  /** A field with a default, which versions of the schema before it do not have. */
  private static Object field(GenericRecord r, String name, Object otherwise) {
    return r.hasField(name) ? r.get(name) : otherwise;
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000L);
  }

  private static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
