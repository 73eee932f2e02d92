package dev.logwait.bench;

import dev.logwait.logger.LoggerStats;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.SingleObjectCodec;
import dev.logwait.testkit.KafkaBroker;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end throughput into a real local broker: the logwait logger (build, log, worker encode,
 * send, acknowledged) against a raw KafkaProducer sending the same pre-serialized bytes (the
 * limit), with the same producer settings, once with the logger's defaults and once with the best
 * settings found. One run, printed as a table.
 *
 * <p>{@code ThroughputBench [records=1000000] [features=100]}
 */
public final class ThroughputBench {
  /** Partitions of each topic (more batches in flight to the one broker). */
  static final int PARTITIONS = Integer.getInteger("bench.partitions", 4);

  public static void main(String[] args) throws Exception {
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    FeatureSet set = Features.set(n, false);
    Map<String, Map<String, Object>> settings = new LinkedHashMap<>();
    settings.put("logwait defaults (lz4, linger 20 ms, batch 1 MiB)", Map.of());
    settings.put(
        "Kafka's defaults (lz4 kept; linger 5 ms, batch 16 KiB)",
        Map.of("linger.ms", 5, "batch.size", 16 * 1024));
    settings.put(
        "large batches (none, linger 20 ms, batch 1 MiB, 128 MiB)",
        Map.of(
            "compression.type",
            "none",
            "linger.ms",
            20,
            "batch.size",
            1 << 20,
            "buffer.memory",
            128L << 20));
    System.out.printf(
        "records %,d, %d double features, %d partitions, broker on this machine%n%n",
        records, n, PARTITIONS);
    System.out.printf(
        "%-55s %-10s %12s %9s %8s%n", "settings", "sender", "records/s", "MB/s", "ratio");
    try (KafkaBroker broker = KafkaBroker.start(Files.createTempDirectory("bench-throughput"))) {
      int round = 0;
      for (Map.Entry<String, Map<String, Object>> e : settings.entrySet()) {
        round++;
        String rawTopic = "raw-" + round;
        String logTopic = "logwait-" + round;
        broker.createTopics(PARTITIONS, rawTopic, logTopic);
        // The same 1,000 feature vectors for both senders, so that both compress alike.
        double[][] vectors = vectors(n, 1000);
        byte[][] payloads = payloads(set, vectors);
        double raw = raw(broker, rawTopic, e.getValue(), payloads, records);
        double lw = logwait(broker, logTopic, e.getValue(), set, vectors, records);
        double mb = payloads[0].length / 1e6;
        System.out.printf(
            "%-55s %-10s %,12.0f %9.1f %8s%n", e.getKey(), "raw", raw, raw * mb, "1.00");
        System.out.printf(
            "%-55s %-10s %,12.0f %9.1f %8.2f%n", e.getKey(), "logwait", lw, lw * mb, lw / raw);
      }
    }
  }

  private static Map<String, Object> producerProps(
      KafkaBroker broker, Map<String, Object> overrides) {
    Map<String, Object> p = new HashMap<>(broker.clientProps());
    p.put("acks", "all");
    p.put("enable.idempotence", true);
    p.put("compression.type", "lz4");
    p.put("linger.ms", 20); // the logger's defaults, so that both send alike
    p.put("batch.size", 1 << 20);
    p.putAll(overrides);
    return p;
  }

  static double[][] vectors(int n, int count) {
    java.util.Random rnd = new java.util.Random(1);
    double[][] out = new double[count][n];
    for (double[] v : out) {
      for (int i = 0; i < n; i++) {
        v[i] = rnd.nextGaussian();
      }
    }
    return out;
  }

  /** The exact bytes the logger writes for these vectors, made once. */
  static byte[][] payloads(FeatureSet set, double[][] vectors) {
    byte[][] out = new byte[vectors.length][];
    for (int k = 0; k < vectors.length; k++) {
      GenericRecord r =
          Features.envelope(
              set.writerSchema(),
              java.util.UUID.randomUUID().toString(),
              System.currentTimeMillis() * 1000);
      GenericRecord f = new GenericData.Record(set.featuresSchema());
      for (int i = 0; i < vectors[k].length; i++) {
        f.put(i, vectors[k][i]);
      }
      r.put("features", f);
      out[k] = SingleObjectCodec.encode(r);
    }
    return out;
  }

  private static double raw(
      KafkaBroker broker,
      String topic,
      Map<String, Object> overrides,
      byte[][] payloads,
      int records) {
    LongAdder acked = new LongAdder();
    try (KafkaProducer<byte[], byte[]> p =
        new KafkaProducer<>(
            producerProps(broker, overrides),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      long t = System.nanoTime();
      for (int i = 0; i < records; i++) {
        p.send(
            new ProducerRecord<>(
                topic, Integer.toString(i).getBytes(), payloads[i % payloads.length]),
            (m, ex) -> {
              if (ex == null) {
                acked.increment();
              }
            });
      }
      p.flush();
      double seconds = (System.nanoTime() - t) / 1e9;
      if (acked.sum() != records) {
        throw new IllegalStateException(
            "raw producer: " + acked.sum() + " of " + records + " acked");
      }
      return records / seconds;
    }
  }

  private static double logwait(
      KafkaBroker broker,
      String topic,
      Map<String, Object> overrides,
      FeatureSet set,
      double[][] vectors,
      int records) {
    PredictionLogger.Builder b =
        PredictionLogger.builder()
            .bootstrapServers(broker.bootstrapServers())
            .topic(topic)
            .schemasTopic(topic + "-schemas")
            .queueCapacity(1 << 16);
    overrides.forEach(b::producerProperty);
    int n = vectors[0].length;
    try (PredictionLogger logger = b.build()) {
      long t = System.nanoTime();
      for (int i = 0; i < records; i++) {
        Prediction p = logger.prediction(set, "bench-model", "1");
        double[] values = vectors[i % vectors.length];
        for (int k = 0; k < n; k++) {
          p.set(k, values[k]);
        }
        logger.log(p.score(0.5), Duration.ofMinutes(1)); // back-pressure: measure, don't drop
      }
      if (!logger.flush(Duration.ofMinutes(5))) {
        throw new IllegalStateException("logger did not flush");
      }
      double seconds = (System.nanoTime() - t) / 1e9;
      LoggerStats s = logger.stats();
      if (s.sent() != records) {
        throw new IllegalStateException("logger: " + s);
      }
      return records / seconds;
    }
  }
}
