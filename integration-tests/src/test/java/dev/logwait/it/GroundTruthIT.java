package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 1: seeded traffic through the real logger (several models, every feature type, entity
 * keys, sampling) and labels with known delays; an oracle written plainly here computes the
 * training rows; after {@code run} the table equals it row for row and column for column.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class GroundTruthIT {
  static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli() * 1000;
  static final long SEC = 1_000_000L;
  static final long MIN = 60 * SEC;
  static final FeatureSet FS =
      FeatureSet.builder("truth", 1)
          .addDouble("d")
          .addFloat("f")
          .addLong("l")
          .addInt("i")
          .addBoolean("b")
          .addString("s")
          .addFloatVector("fv")
          .addDoubleVector("dv")
          .addSparse("sp")
          .build();

  record Logged(
      String id,
      String model,
      String version,
      long servedAt,
      String user,
      double score,
      double sampleRate,
      Object[] features) {}

  record Event(String id, String name, double value, long at, String pid, String user) {}

  @Test
  void theTrainingTableEqualsTheOracle() {
    Scenario s =
        new Scenario(
            "truth",
            3,
            2,
            "labels:\n"
                + "  - {name: click, window: 10m, aggregation: exists, default: 0}\n"
                + "  - {name: dwell, window: 10m, aggregation: last}\n"
                + "  - {name: purchase, window: 1h, aggregation: sum, default: 0, join-keys: [user_id]}\n");
    Random rnd = new Random(7);
    List<Logged> logged = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    String[] models = {"alpha", "beta", "gamma"};
    try (PredictionLogger logger = s.predictionLogger().sampleRate("gamma", 0.5).build();
        LabelLogger labels = s.labelLogger()) {
      for (int n = 0; n < 3000; n++) {
        String model = models[n % 3];
        Prediction p = logger.prediction(FS, model, "v" + (n % 2));
        if (p.isSampledOut()) {
          continue;
        }
        long served = T0 + n * 2 * SEC;
        String user = "u" + rnd.nextInt(50);
        double score = rnd.nextDouble();
        Object[] f = {
          rnd.nextGaussian(),
          rnd.nextFloat(),
          rnd.nextLong(),
          rnd.nextInt(),
          rnd.nextBoolean(),
          "s" + rnd.nextInt(10),
          new float[] {rnd.nextFloat(), rnd.nextFloat()},
          new double[] {rnd.nextDouble()},
          Map.of("k" + rnd.nextInt(3), rnd.nextDouble())
        };
        p.servedAtMicros(served).entity("user_id", user).score(score);
        p.set(0, (double) f[0])
            .set(1, (double) (float) f[1])
            .set(2, (long) f[2])
            .set(3, (long) (int) f[3]);
        p.set(4, (boolean) f[4])
            .set(5, (String) f[5])
            .set(6, (float[]) f[6])
            .set(7, (double[]) f[7]);
        @SuppressWarnings("unchecked")
        Map<String, Double> sp = (Map<String, Double>) f[8];
        p.set(8, sp);
        String id = p.predictionId();
        assertThat(logger.log(p)).isTrue();
        logged.add(new Logged(id, model, "v" + (n % 2), served, user, score, p.sampleRate(), f));
        if (rnd.nextDouble() < 0.3) { // clicks: some inside, some outside the 10 m window
          events.add(
              new Event(
                  "c" + n, "click", 1, served + (long) (rnd.nextDouble() * 15 * MIN), id, null));
        }
        for (int k = 0; k < rnd.nextInt(3); k++) { // dwell: last value wins
          events.add(
              new Event(
                  "w" + n + "-" + k,
                  "dwell",
                  rnd.nextInt(100),
                  served + (long) (rnd.nextDouble() * 12 * MIN),
                  id,
                  null));
        }
        if (rnd.nextDouble()
            < 0.05) { // purchases by user, possibly before some of their predictions
          events.add(
              new Event(
                  "p" + n,
                  "purchase",
                  rnd.nextInt(50),
                  served + (long) ((rnd.nextDouble() - 0.2) * 90 * MIN),
                  null,
                  user));
        }
      }
      for (Event e : events) {
        labels.log(
            e.pid() != null
                ? new Label(e.id(), e.name(), e.value(), e.at(), e.pid(), Map.of())
                : Label.of(e.id(), e.name(), e.value(), e.at(), Map.of("user_id", e.user())),
            Duration.ofMinutes(1));
      }
      long end = T0 + 10 * 60 * MIN; // the label stream moves on: every window closes
      for (int k = 0; k < 16; k++) {
        labels.log(
            Label.of("hb" + k, "heartbeat", 0, end, Map.of("hb", "" + k)), Duration.ofMinutes(1));
      }
      assertThat(logger.flush(Duration.ofMinutes(2))).isTrue();
      assertThat(labels.flush(Duration.ofMinutes(2))).isTrue();
    }

    var summary = s.run();
    assertThat(summary.counts()).containsEntry("finalized", (long) logged.size());

    Map<String, Map<String, Object>> actual = s.rows("training_truth", "prediction_id");
    Map<String, Map<String, Object>> expected = oracle(logged, events);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String id : expected.keySet()) {
      Map<String, Object> row = actual.get(id);
      expected
          .get(id)
          .forEach(
              (column, value) ->
                  assertThat(row.get(column)).as("%s.%s", id, column).isEqualTo(value));
    }
    assertThat(actual.values().iterator().next().keySet())
        .as("no column the oracle does not know")
        .containsExactlyInAnyOrderElementsOf(expected.values().iterator().next().keySet());
  }

  /** What the training table must hold, computed without Spark. */
  static Map<String, Map<String, Object>> oracle(List<Logged> logged, List<Event> events) {
    Map<String, Map<String, Object>> out = new TreeMap<>();
    for (Logged p : logged) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("prediction_id", p.id());
      r.put("request_id", null);
      r.put("served_at", p.servedAt());
      r.put("model_name", p.model());
      r.put("model_version", p.version());
      r.put("entity_keys", Map.of("user_id", p.user()));
      r.put("prediction", p.score());
      r.put("propensity", null);
      r.put("action", null);
      r.put("sample_rate", p.sampleRate());
      r.put("weight", 1.0 / p.sampleRate());
      r.put("feature_set_version", 1);
      Object[] f = p.features();
      r.put("d", f[0]);
      r.put("f", f[1]);
      r.put("l", f[2]);
      r.put("i", f[3]);
      r.put("b", f[4]);
      r.put("s", f[5]);
      float[] fv = (float[]) f[6];
      r.put("fv", List.of(fv[0], fv[1]));
      r.put("dv", List.of(((double[]) f[7])[0]));
      r.put("sp", new TreeMap<>((Map<?, ?>) f[8]));
      label(r, "click", p, events, 10 * MIN, false, "exists", 0.0);
      label(r, "dwell", p, events, 10 * MIN, false, "last", null);
      label(r, "purchase", p, events, 60 * MIN, true, "sum", 0.0);
      r.put("revision", 0); // never restated (restated_at, null, is left out with finalized_at)
      out.put(p.id(), r);
    }
    return out;
  }

  private static void label(
      Map<String, Object> r,
      String name,
      Logged p,
      List<Event> events,
      long window,
      boolean byUser,
      String agg,
      Double def) {
    Long first = null;
    long count = 0;
    double sum = 0;
    Double last = null;
    long lastAt = Long.MIN_VALUE;
    String lastId = "";
    for (Event e : events) {
      boolean key = byUser ? p.user().equals(e.user()) : p.id().equals(e.pid());
      if (!e.name().equals(name)
          || !key
          || e.at() < p.servedAt()
          || e.at() >= p.servedAt() + window) {
        continue;
      }
      count++;
      sum += e.value();
      first = first == null ? e.at() : Math.min(first, e.at());
      if (e.at() > lastAt || (e.at() == lastAt && e.id().compareTo(lastId) > 0)) {
        lastAt = e.at();
        lastId = e.id();
        last = e.value();
      }
    }
    Double value;
    if (count == 0) {
      value = def;
    } else if (agg.equals("exists")) {
      value = 1.0;
    } else if (agg.equals("sum")) {
      value = sum;
    } else {
      value = last;
    }
    r.put("label_" + name, value);
    r.put("label_" + name + "_at", first);
    r.put("label_" + name + "_count", count);
  }
}
