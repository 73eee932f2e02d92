package dev.logwait.joiner.bandit;

import dev.logwait.joiner.config.RewardKind;
import dev.logwait.joiner.config.RouterSpec;
import dev.logwait.schema.LogwaitSchemas;
import dev.logwait.schema.SchemaStore;
import dev.logwait.schema.SingleObjectCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * One publication of a router's statistics: the message of {@code router_posterior.avsc} ({@link
 * LogwaitSchemas#routerPosterior()}), Avro single-object encoded.
 *
 * @param arms one entry per arm that has rows or waiting predictions, ordered by arm
 */
public record Posterior(
    String router,
    long publishedAtMicros,
    String trainingTable,
    long trainingSnapshot,
    Long labelWatermarkMicros,
    String reward,
    RewardKind rewardKind,
    double priorAlpha,
    double priorBeta,
    Double halfLifeSeconds,
    List<Arm> arms) {
  /** One arm's sums ({@link ArmSums}) and its predictions logged but not finalized. */
  public record Arm(
      String arm,
      double weight,
      double rewardSum,
      double rewardSumSquares,
      long rows,
      long waiting) {}

  public Posterior {
    arms = List.copyOf(arms);
  }

  /** What a router's state says, with its waiting predictions per arm, published now. */
  static Posterior of(RouterSpec r, RouterState s, Map<String, Long> waiting, long nowMicros) {
    Map<String, Arm> byArm = new TreeMap<>();
    for (ArmSums a : s.statistics().arms()) {
      byArm.put(
          a.arm(),
          new Arm(
              a.arm(),
              a.weight(),
              a.rewardSum(),
              a.rewardSumSquares(),
              a.rows(),
              waiting.getOrDefault(a.arm(), 0L)));
    }
    waiting.forEach(
        (arm, n) -> {
          if (n > 0) {
            byArm.putIfAbsent(arm, new Arm(arm, 0, 0, 0, 0, n));
          }
        });
    return new Posterior(
        r.name(),
        nowMicros,
        s.trainingTable(),
        s.trainingSnapshot(),
        s.labelWatermarkMicros(),
        r.reward(),
        r.rewardKind(),
        r.priorAlpha(),
        r.priorBeta(),
        Decay.seconds(r.halfLifeMicros()),
        new ArrayList<>(byArm.values()));
  }

  /** The message's bytes: the single-object header of the current schema, then the record. */
  public byte[] encode() {
    Schema schema = LogwaitSchemas.routerPosterior();
    Schema armSchema = schema.getField("arms").schema().getElementType();
    GenericRecord r = new GenericData.Record(schema);
    r.put("router", router);
    r.put("published_at", publishedAtMicros);
    r.put("training_table", trainingTable);
    r.put("training_snapshot", trainingSnapshot);
    r.put("label_watermark", labelWatermarkMicros);
    r.put("reward", reward);
    r.put(
        "reward_kind",
        new GenericData.EnumSymbol(schema.getField("reward_kind").schema(), rewardKind.name()));
    r.put("prior_alpha", priorAlpha);
    r.put("prior_beta", priorBeta);
    r.put("half_life_seconds", halfLifeSeconds);
    List<GenericRecord> out = new ArrayList<>();
    for (Arm a : arms) {
      GenericRecord x = new GenericData.Record(armSchema);
      x.put("arm", a.arm());
      x.put("weight", a.weight());
      x.put("reward_sum", a.rewardSum());
      x.put("reward_sum_squares", a.rewardSumSquares());
      x.put("rows", a.rows());
      x.put("waiting", a.waiting());
      out.add(x);
    }
    r.put("arms", out);
    return SingleObjectCodec.encode(r);
  }

  /** Every router posterior schema logwait has released. */
  public static SchemaStore shippedSchemas() {
    SchemaStore store = new SchemaStore();
    LogwaitSchemas.routerPosteriorHistory().forEach(store::add);
    store.add(LogwaitSchemas.routerPosterior());
    return store;
  }

  /**
   * Decodes a message with the writer schema its fingerprint names.
   *
   * @throws dev.logwait.schema.MalformedMessageException when the bytes are not such a message
   */
  public static Posterior decode(byte[] message, SchemaStore store) {
    GenericRecord r = SingleObjectCodec.decode(message, store);
    List<Arm> arms = new ArrayList<>();
    for (Object o : (List<?>) r.get("arms")) {
      GenericRecord a = (GenericRecord) o;
      arms.add(
          new Arm(
              String.valueOf(a.get("arm")),
              (Double) a.get("weight"),
              (Double) a.get("reward_sum"),
              (Double) a.get("reward_sum_squares"),
              (Long) a.get("rows"),
              (Long) a.get("waiting")));
    }
    return new Posterior(
        String.valueOf(r.get("router")),
        (Long) r.get("published_at"),
        String.valueOf(r.get("training_table")),
        (Long) r.get("training_snapshot"),
        (Long) r.get("label_watermark"),
        String.valueOf(r.get("reward")),
        RewardKind.valueOf(String.valueOf(r.get("reward_kind"))),
        (Double) r.get("prior_alpha"),
        (Double) r.get("prior_beta"),
        (Double) r.get("half_life_seconds"),
        arms);
  }

  /** The arm's entry, or null. */
  public Arm arm(String name) {
    return arms.stream().filter(a -> a.arm().equals(name)).findFirst().orElse(null);
  }
}
