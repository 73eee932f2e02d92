package dev.logwait.bench;

import dev.logwait.logger.LoggerStats;
import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import dev.logwait.testkit.KafkaBroker;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What logging costs the request thread. {@code build}: fill a prediction; {@code buildAndLog}:
 * fill it and hand it to {@code log}; {@code baseline}: what a team writes without logwait, an Avro
 * {@code GenericRecord} with the features in a map, single-object encoded and passed to {@code
 * KafkaProducer.send} on the caller thread. Both send to the same real local broker.
 *
 * <p>The baseline's producer gets a 1 GiB buffer that is flushed between iterations, and the logger
 * a fresh, large queue each iteration, so that {@code log} measures the enqueue path the request
 * thread takes in service (the worker and Kafka drain it meanwhile on the other core); the records
 * dropped for lack of room are printed per iteration.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LoggerCallerBenchmark {
  /** "20", "100", "500" doubles, or "emb256": one 256-float embedding. */
  @Param({"20", "100", "500", "emb256"})
  public String features;

  private KafkaBroker broker;
  private FeatureSet set;
  private int n;
  private double[] values;
  private float[] embedding;
  private String[] names;
  private PredictionLogger logger;
  private KafkaProducer<byte[], byte[]> producer;
  private BinaryMessageEncoder<GenericRecord> encoder;
  private Schema mapSchema;

  @Setup(Level.Trial)
  public void startBroker() throws Exception {
    broker = KafkaBroker.start(Files.createTempDirectory("bench-kafka"));
    broker.createTopics(1, "bench-logwait", "bench-baseline");
    boolean emb = features.startsWith("emb");
    n = emb ? 256 : Integer.parseInt(features);
    set = Features.set(n, emb);
    values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = ThreadLocalRandom.current().nextDouble();
    }
    embedding = new float[256];
    names = Features.names(n);
    mapSchema = Features.mapSchema();
    encoder = new BinaryMessageEncoder<>(GenericData.get(), mapSchema);
    Map<String, Object> props = new HashMap<>(broker.clientProps());
    props.put("acks", "all");
    props.put("enable.idempotence", true);
    props.put("compression.type", "lz4");
    props.put("linger.ms", 5);
    // Room for a whole iteration's records, so that send() is measured as the caller's cost and
    // not as the broker's throughput (each iteration starts with an empty buffer).
    props.put("buffer.memory", 1L << 30);
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Setup(Level.Iteration)
  public void freshLogger() {
    logger =
        PredictionLogger.builder()
            .bootstrapServers(broker.bootstrapServers())
            .topic("bench-logwait")
            .schemasTopic("bench-schemas")
            .queueCapacity(1 << 21)
            .build();
  }

  @TearDown(Level.Iteration)
  public void closeLogger() {
    producer.flush();
    logger.close(Duration.ZERO);
    LoggerStats s = logger.stats();
    System.out.printf(
        "%n  [logger: %,d logged, %,d dropped for a full queue, %,d sent]%n",
        s.logged(), s.dropped(), s.sent());
  }

  @TearDown(Level.Trial)
  public void stopBroker() {
    producer.close();
    broker.close();
  }

  @Benchmark
  public Prediction build() {
    return fill(logger.prediction(set, "bench-model", "1"));
  }

  @Benchmark
  public boolean buildAndLog() {
    return logger.log(fill(logger.prediction(set, "bench-model", "1")));
  }

  @Benchmark
  public Object baseline() throws Exception {
    GenericRecord r =
        Features.envelope(
            mapSchema, UUID.randomUUID().toString(), System.currentTimeMillis() * 1000);
    Map<String, Double> f = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      f.put(names[i], values[i]);
    }
    r.put("features", f);
    byte[] bytes = encoder.encode(r).array();
    return producer.send(
        new ProducerRecord<>(
            "bench-baseline", ((String) r.get("prediction_id")).getBytes(), bytes));
  }

  private Prediction fill(Prediction p) {
    if (n == 256 && features.startsWith("emb")) {
      return p.set(0, embedding).score(0.5);
    }
    for (int i = 0; i < n; i++) {
      p.set(i, values[i]);
    }
    return p.score(0.5);
  }
}
