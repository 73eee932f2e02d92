package dev.logwait.bench;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The joiner benchmark's input: N predictions of 100 doubles over one simulated day through the
 * logger, clicks for 20% of them, and the same predictions again the way teams log them without
 * logwait (features in an Avro map), on topics named by a prefix.
 *
 * <p>{@code BenchData <bootstrap> <prefix> <n> [features=100]}
 */
public final class BenchData {
  static final long T0 = 1_780_000_000_000_000L;
  static final long DAY = 86_400_000_000L;

  /** The loggers every generator sends through: {@code <prefix>-preds}, large batches. */
  static PredictionLogger predictionLogger(String bootstrap, String prefix) {
    return PredictionLogger.builder()
        .bootstrapServers(bootstrap)
        .topic(prefix + "-preds")
        .schemasTopic(prefix + "-schemas")
        .producerProperty("linger.ms", 20)
        .producerProperty("batch.size", 1 << 20)
        .build();
  }

  /** {@code <prefix>-labels}. */
  static LabelLogger labelLogger(String bootstrap, String prefix) {
    return LabelLogger.builder().bootstrapServers(bootstrap).topic(prefix + "-labels").build();
  }

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String prefix = args[1];
    int n = Integer.parseInt(args[2]);
    int features = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    // users > 0: each prediction carries the entity key user_id = u<i % users> (for bench-forget)
    int users = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    FeatureSet set = Features.set(features, false);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(prefix + "-preds", 4, (short) 1),
                  new NewTopic(prefix + "-mappreds", 4, (short) 1),
                  new NewTopic(prefix + "-labels", 2, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
    Random rnd = new Random(n);
    double[] values = new double[features];
    String[] names = Features.names(features);
    Schema mapSchema = Features.mapSchema();
    BinaryMessageEncoder<GenericRecord> mapEncoder =
        new BinaryMessageEncoder<>(GenericData.get(), mapSchema);
    long t = System.nanoTime();
    try (PredictionLogger logger = predictionLogger(bootstrap, prefix);
        LabelLogger labels = labelLogger(bootstrap, prefix);
        KafkaProducer<byte[], byte[]> raw =
            new KafkaProducer<>(
                Map.of(
                    "bootstrap.servers",
                    bootstrap,
                    "linger.ms",
                    20,
                    "batch.size",
                    1 << 20,
                    "compression.type",
                    "lz4"),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
      for (int i = 0; i < n; i++) {
        String id = String.format("%s-%09d", prefix, i);
        long served = T0 + (long) ((double) i / n * DAY);
        for (int k = 0; k < features; k++) {
          values[k] = rnd.nextGaussian();
        }
        Prediction p =
            logger.prediction(set, "bench-model", "1").predictionId(id).servedAtMicros(served);
        for (int k = 0; k < features; k++) {
          p.set(k, values[k]);
        }
        if (users > 0) {
          p.entity("user_id", "u" + (i % users));
        }
        logger.log(p.score(0.5), Duration.ofMinutes(1));

        GenericRecord r = Features.envelope(mapSchema, id, served);
        Map<String, Double> f = new HashMap<>(features * 2);
        for (int k = 0; k < features; k++) {
          f.put(names[k], values[k]);
        }
        r.put("features", f);
        raw.send(
            new ProducerRecord<>(
                prefix + "-mappreds", id.getBytes(), mapEncoder.encode(r).array()));

        if (rnd.nextDouble() < 0.2) {
          labels.log(
              new Label(
                  "e-" + id, "click", 1, served + rnd.nextInt(1800) * 1_000_000L, id, Map.of()),
              Duration.ofMinutes(1));
        }
      }
      for (int k = 0; k < 16; k++) {
        labels.log(
            Label.of(prefix + "-hb" + k, "heartbeat", 0, T0 + 2 * DAY, Map.of("hb", "" + k)),
            Duration.ofMinutes(1));
      }
      logger.flush(Duration.ofMinutes(10));
      labels.flush(Duration.ofMinutes(10));
      raw.flush();
      System.out.printf(
          "generated %,d predictions (+ the map-based copy) and %,d labels in %.1f s%n",
          logger.stats().sent(), labels.stats().sent(), (System.nanoTime() - t) / 1e9);
    }
  }
}
