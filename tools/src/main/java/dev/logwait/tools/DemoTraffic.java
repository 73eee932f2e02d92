package dev.logwait.tools;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.LoggerStats;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.SingleObjectCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Realistic serving traffic for the demo, through the real loggers: two models over two simulated
 * days, clicks with exponential delays, purchases on an entity key hours later, a feature-set
 * version that adds a feature on day 2 (and a feature whose distribution shifts), an exploring
 * choice of layout with logged propensities ({@link Exploration}), duplicates, late labels and a
 * few corrupt messages. The same seed gives the same traffic; {@code --phase 1} sends everything
 * that happened by the end of day 2, {@code --phase 2} what arrives the next day (delayed and late
 * labels).
 */
@Command(name = "demo-traffic", mixinStandardHelpOptions = true, description = "Demo traffic.")
public final class DemoTraffic implements Callable<Integer> {
  static final long DAY = 86_400_000_000L;
  static final long MIN = 60_000_000L;
  static final FeatureSet V1 =
      FeatureSet.builder("ranker", 1)
          .addDoubles("f", 20)
          .addString("country")
          .addFloatVector("embedding")
          .build();
  static final FeatureSet V2 =
      FeatureSet.builder("ranker", 2)
          .addDoubles("f", 20)
          .addString("country")
          .addFloatVector("embedding")
          .addDouble("dwell_seconds")
          .build();

  @Option(names = "--bootstrap-servers", required = true)
  String bootstrapServers;

  @Option(
      names = "--phase",
      required = true,
      description =
          "1: days 1-2; 2: the next day's labels; 3: day 4, ranker_a served by --model-weights")
  int phase;

  @Option(
      names = "--model-weights",
      description =
          "Phase 3: the fine-tuned model's weights (V.json of trainers/python/finetune.py).")
  java.nio.file.Path modelWeights;

  @Option(names = "--predictions", description = "Predictions over the two days (default 200000).")
  int predictions = 200_000;

  @Option(names = "--seed")
  long seed = 42;

  @Option(
      names = "--policy-out",
      description =
          "Phase 1: write the candidate policy here as CSV (prediction_id,action,probability).")
  java.nio.file.Path policyOut;

  @Option(names = "--start", description = "First simulated day (UTC).")
  String start = "2026-11-01T00:00:00Z";

  public static void main(String[] args) {
    System.exit(new CommandLine(new DemoTraffic()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    long d0 = Instant.parse(start).toEpochMilli() * 1000;
    createTopics();
    if (phase == 3) {
      return modelDay(d0);
    }
    Random rnd = new Random(seed);
    List<Label> now = new ArrayList<>();
    List<Label> later = new ArrayList<>();
    String[] countries = {"de", "fr", "us", "br", "jp"};
    int logged = 0;
    int duplicates = 0;
    Random explore = new Random(seed + 1);
    double candidateClicks = 0;
    double population = 0;
    java.io.PrintWriter policy =
        phase == 1 && policyOut != null
            ? new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(policyOut))
            : null;
    if (policy != null) {
      policy.println("prediction_id,action,probability");
    }
    try (PredictionLogger logger =
        PredictionLogger.builder()
            .bootstrapServers(bootstrapServers)
            .clientId("demo-serving")
            .build()) {
      logger.register(V1);
      logger.register(V2);
      for (int i = 0; i < predictions; i++) {
        long servedAt = d0 + (long) ((double) i / predictions * 2 * DAY);
        boolean dayTwo = servedAt >= d0 + DAY;
        boolean modelB = rnd.nextDouble() < 0.5;
        // ranker_b logs half its traffic (the rows carry sample_rate 0.5, weight 2)
        boolean sampledOut = modelB && rnd.nextDouble() >= 0.5;
        String user = "u" + rnd.nextInt(5_000);
        String item = "i" + rnd.nextInt(800);
        rnd.nextDouble(); // was the score: drawn still, so the seed gives the same draws after it
        double[] f = new double[20];
        for (int k = 0; k < f.length; k++) {
          f[k] = rnd.nextGaussian();
        }
        // the served models' score, and the truth clicks follow: it depends on the features, so
        // a model trained on the joined rows can learn it (trainers/python/finetune.py does)
        double score = trueScore(f);
        String country = countries[rnd.nextInt(countries.length)];
        float[] embedding = {rnd.nextFloat(), rnd.nextFloat(), rnd.nextFloat(), rnd.nextFloat()};
        double dwell = rnd.nextDouble() * 60;
        boolean duplicate = rnd.nextDouble() < 0.005; // a retried request logs it again
        int ci = java.util.Arrays.asList(countries).indexOf(country);
        int action = Exploration.choose(explore, ci);
        double base = (modelB ? 0.06 : 0.04) * (0.5 + score);
        // the candidate's true click rate, over all served requests (sampled out too); a
        // tracker's late replay loses 3% of day 1's clicks from the 30-minute window
        candidateClicks += base * Exploration.candidateEffect(ci) * (dayTwo ? 1 : 0.97);
        population++;
        if (dayTwo) {
          f[0] += 0.6; // a shift in a feature's distribution on day 2: the report's drift
        }
        if (sampledOut) {
          continue;
        }
        String id = String.format("pred-%07d", i);
        if (policy != null) {
          for (int a = 0; a < Exploration.ACTIONS.length; a++) {
            policy.println(id + "," + Exploration.ACTIONS[a] + "," + Exploration.candidate(ci, a));
          }
        }
        FeatureSet fs = dayTwo ? V2 : V1;
        String model = modelB ? "ranker_b" : "ranker_a";
        if (phase == 1) {
          for (int copy = 0; copy < (duplicate ? 2 : 1); copy++) {
            Prediction p = logger.prediction(fs, model, dayTwo ? "2" : "1").predictionId(id);
            for (int k = 0; k < f.length; k++) {
              p.set(k, f[k]);
            }
            p.set("country", country)
                .set("embedding", embedding)
                .servedAtMicros(servedAt)
                .entity("user_id", user)
                .entity("item_id", item)
                .score(score)
                .action(Exploration.ACTIONS[action])
                .propensity(Exploration.propensity(ci, action))
                .recordedSampleRate(modelB ? 0.5 : 1.0);
            if (dayTwo) {
              p.set("dwell_seconds", dwell);
            }
            logger.log(p, Duration.ofMinutes(1));
            logged++;
          }
          duplicates += duplicate ? 1 : 0;
        }
        double ctr = base * Exploration.effect(ci, action);
        if (rnd.nextDouble() < ctr) {
          long delay = (long) (-Math.log(1 - rnd.nextDouble()) * 3 * MIN);
          Label click = new Label("click-" + id, "click", 1.0, servedAt + delay, id, Map.of());
          boolean lateArrival = !dayTwo && rnd.nextDouble() < 0.03; // a tracker outage, replayed
          (servedAt + delay < d0 + 2 * DAY && !lateArrival ? now : later).add(click);
        }
        if (rnd.nextDouble() < 0.01) {
          long delay = (long) ((1 + rnd.nextDouble() * 19) * 60 * MIN);
          Label purchase =
              Label.of(
                  "purchase-" + id,
                  "purchase",
                  Math.round(rnd.nextDouble() * 9000) / 100.0,
                  servedAt + delay,
                  Map.of("user_id", user, "item_id", item));
          (servedAt + delay < d0 + 2 * DAY ? now : later).add(purchase);
        }
      }
      logger.flush(Duration.ofMinutes(5));
      if (phase == 1) {
        print("predictions", logger.stats(), logged - duplicates, duplicates);
      }
      if (policy != null) {
        policy.close();
        System.out.printf(
            "  %-12s %s; its true click rate: %.5f%n",
            "candidate", policyOut, candidateClicks / population);
      }
    }
    long end = d0 + (phase == 1 ? 2 * DAY : 3 * DAY);
    try (LabelLogger labels =
        LabelLogger.builder().bootstrapServers(bootstrapServers).clientId("demo-labels").build()) {
      for (Label l : phase == 1 ? now : later) {
        labels.log(l, Duration.ofMinutes(1));
      }
      // The click tracker's heartbeat: every label partition moves on to the end of the period.
      for (int i = 0; i < 16; i++) {
        labels.log(
            Label.of("heartbeat-" + phase + "-" + i, "heartbeat", 0, end, Map.of("hb", "" + i)),
            Duration.ofMinutes(1));
      }
      labels.flush(Duration.ofMinutes(5));
      print("labels", labels.stats(), (phase == 1 ? now : later).size() + 16, 0);
    }
    if (phase == 1) {
      sendCorrupt();
    }
    return 0;
  }

  /** Day 4: half a day's traffic of days 1-2, ranker_a scored by the fine-tuned model. */
  private int modelDay(long d0) {
    if (modelWeights == null) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--phase 3 needs --model-weights (a finetune.py V.json)");
    }
    TrainedModel model = TrainedModel.read(modelWeights);
    try (PredictionLogger logger =
            PredictionLogger.builder()
                .bootstrapServers(bootstrapServers)
                .clientId("demo-serving")
                .build();
        LabelLogger labels =
            LabelLogger.builder()
                .bootstrapServers(bootstrapServers)
                .clientId("demo-labels")
                .build()) {
      logger.register(V2);
      new ModelDay(logger, labels, model).serve(predictions / 2, d0 + 3 * DAY, seed + 3);
      logger.flush(Duration.ofMinutes(5));
      labels.flush(Duration.ofMinutes(5));
    }
    return 0;
  }

  /**
   * The true click score of a request: uniform on (0, 1) (the normal CDF of a standard normal
   * combination of two features), as the random score it replaced was, so the rates stay the same.
   */
  static double trueScore(double[] f) {
    return normalCdf(0.8 * f[1] - 0.6 * f[2]);
  }

  /** Φ(x), by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7). */
  static double normalCdf(double x) {
    double z = Math.abs(x) / Math.sqrt(2);
    double t = 1 / (1 + 0.3275911 * z);
    double erf =
        1
            - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t
                    + 0.254829592)
                * t
                * Math.exp(-z * z);
    return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
  }

  private void print(String what, LoggerStats s, int logged, int duplicates) {
    System.out.printf(
        "  %-12s logged %,d (%,d duplicates), sampled out %,d, sent %,d, failed %,d, dropped %,d%n",
        what, logged + duplicates, duplicates, s.sampledOut(), s.sent(), s.failed(), s.dropped());
  }

  private void createTopics() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      for (NewTopic t :
          List.of(
              new NewTopic(PredictionLogger.DEFAULT_TOPIC, 4, (short) 1),
              new NewTopic(LabelLogger.DEFAULT_TOPIC, 2, (short) 1))) {
        try {
          admin.createTopics(List.of(t)).all().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    }
  }

  /** What a broken client might send: the joiner must quarantine each with its reason. */
  private void sendCorrupt() throws Exception {
    byte[] unknown = new byte[20];
    SingleObjectCodec.writeHeader(unknown, 0, 0x0BADC0DEL);
    List<byte[]> bad =
        List.of(
            "{\"prediction_id\":\"json-instead-of-avro\"}".getBytes(),
            new byte[0],
            new byte[] {(byte) 0xC3, 1},
            unknown,
            new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7});
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", bootstrapServers),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      for (byte[] v : bad) {
        p.send(new ProducerRecord<>(PredictionLogger.DEFAULT_TOPIC, v)).get();
      }
    }
    System.out.printf(
        "  %-12s %d corrupt messages sent to %s%n",
        "corrupt", bad.size(), PredictionLogger.DEFAULT_TOPIC);
  }
}
