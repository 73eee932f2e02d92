package dev.logwait.testing;

import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.LoggerBuilder;
import dev.logwait.logger.PredictionLogger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Loggers for unit tests that keep what they send in memory instead of sending it to Kafka. They
 * are the real loggers (same API, same sampling, same worker, same encoding), built with Kafka's
 * in-memory producer; {@link #predictions()} and {@link #labels()} decode what they sent, as the
 * joiner would.
 *
 * <pre>{@code
 * Recorder recorder = new Recorder();
 * PredictionLogger logger = recorder.predictionLogger(PredictionLogger.builder());
 * service.handle(request, logger);                       // the code under test logs
 * LogwaitAssertions.assertThat(recorder)
 *     .loggedPrediction().forModel("ranker_b").withFeature("country", "de");
 * }</pre>
 */
public final class Recorder {
  private final List<MockProducer<byte[], byte[]>> producers = new CopyOnWriteArrayList<>();
  private final List<PredictionLogger> predictionLoggers = new CopyOnWriteArrayList<>();
  private final List<LabelLogger> labelLoggers = new CopyOnWriteArrayList<>();
  // Writer schemas seen so far: a logger publishes each once, so they outlive clear().
  private final List<Schema> schemas = new CopyOnWriteArrayList<>();

  /** A recorder without loggers yet. */
  public Recorder() {}

  /**
   * Builds a recording prediction logger from a builder the test configured (sample rates, clock,
   * topics, unset policy); bootstrap servers are not needed, the schemas topic is not created, and
   * a spool the builder has is turned off (records go to the in-memory producer, never to disk).
   *
   * @param builder the logger's settings
   * @return the logger, running
   */
  public PredictionLogger predictionLogger(PredictionLogger.Builder builder) {
    PredictionLogger logger =
        builder
            .bootstrapServers("recorder.invalid:9092")
            .createSchemasTopic(false)
            .overflow(LoggerBuilder.Overflow.DROP)
            .build(props -> producer());
    predictionLoggers.add(logger);
    return logger;
  }

  /**
   * Builds a recording label logger (a spool the builder has is turned off).
   *
   * @param builder the logger's settings
   * @return the logger, running
   */
  public LabelLogger labelLogger(LabelLogger.Builder builder) {
    LabelLogger logger =
        builder
            .bootstrapServers("recorder.invalid:9092")
            .createSchemasTopic(false)
            .overflow(LoggerBuilder.Overflow.DROP)
            .build(props -> producer());
    labelLoggers.add(logger);
    return logger;
  }

  /**
   * Every prediction the recorder's loggers sent, in order, after waiting for their queues to
   * drain.
   *
   * @return the predictions, decoded
   */
  public List<LoggedPrediction> predictions() {
    List<LoggedPrediction> out = new ArrayList<>();
    decode(out, new ArrayList<>());
    return out;
  }

  /**
   * Every label event the recorder's loggers sent, in order.
   *
   * @return the label events, decoded
   */
  public List<LoggedLabel> labels() {
    List<LoggedLabel> out = new ArrayList<>();
    decode(new ArrayList<>(), out);
    return out;
  }

  /** Forgets what was sent so far (the writer schemas are kept: each is published once). */
  public synchronized void clear() {
    flush();
    collectSchemas();
    producers.forEach(MockProducer::clear);
  }

  private void collectSchemas() {
    for (MockProducer<byte[], byte[]> p : producers) {
      for (ProducerRecord<byte[], byte[]> r : p.history()) {
        if (!Decoding.isMessage(r.value())) { // a writer schema, published before its records
          Schema s =
              new Schema.Parser()
                  .parse(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
          if (!schemas.contains(s)) {
            schemas.add(s);
          }
        }
      }
    }
  }

  private MockProducer<byte[], byte[]> producer() {
    MockProducer<byte[], byte[]> p =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    producers.add(p);
    return p;
  }

  private void flush() {
    predictionLoggers.forEach(l -> l.flush(Duration.ofSeconds(30)));
    labelLoggers.forEach(l -> l.flush(Duration.ofSeconds(30)));
  }

  private synchronized void decode(List<LoggedPrediction> predictions, List<LoggedLabel> labels) {
    flush();
    collectSchemas();
    List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
    producers.forEach(p -> sent.addAll(p.history()));
    Decoding d = new Decoding(schemas);
    for (ProducerRecord<byte[], byte[]> r : sent) {
      if (Decoding.isMessage(r.value())) {
        d.decode(r.value(), predictions, labels);
      }
    }
  }
}
