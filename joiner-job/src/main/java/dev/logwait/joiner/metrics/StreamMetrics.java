package dev.logwait.joiner.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The stream's metrics, served as Prometheus text on {@code http://HOST:PORT/metrics}: what each
 * batch did (its duration; rows ingested, finalized, quarantined; the watermark and its lag), when
 * rows were last finalized and upkeep last ran, failed batches, and the retraining trigger's
 * decisions. Times of day are exported as Unix timestamps (seconds), so an alert takes their age
 * with {@code time() - metric}.
 */
public final class StreamMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpServer server;
  private final Timer batchDuration;
  private final Counter predictions;
  private final Counter labels;
  private final Counter finalized;
  private final Counter quarantined;
  private final Counter batches;
  private final Counter failed;
  private final Counter upkeepRuns;
  private final Counter upkeepFailed;
  private final AtomicReference<Double> lag = new AtomicReference<>(Double.NaN);
  private final AtomicReference<Double> watermark = new AtomicReference<>(Double.NaN);
  private final AtomicReference<Double> lastFinalized = new AtomicReference<>(Double.NaN);
  private final AtomicReference<Double> lastBatch = new AtomicReference<>(Double.NaN);
  private final AtomicReference<Double> lastUpkeep = new AtomicReference<>(Double.NaN);
  private final AtomicLong failuresInARow = new AtomicLong();

  private StreamMetrics(HttpServer server) {
    this.server = server;
    batchDuration =
        Timer.builder("logwait.batch.duration")
            .description("Duration of the stream's batches (failed ones included)")
            .register(registry);
    predictions = rows("predictions", "Predictions ingested into raw_predictions");
    labels = rows("labels", "Label events ingested into raw_labels");
    finalized =
        Counter.builder("logwait.rows.finalized")
            .description("Predictions finalized into training rows")
            .register(registry);
    quarantined =
        Counter.builder("logwait.rows.quarantined")
            .description("Messages quarantined (undecodable or out of range)")
            .register(registry);
    batches = Counter.builder("logwait.batches").description("Batches run").register(registry);
    failed =
        Counter.builder("logwait.batches.failed")
            .description("Batches that failed (recorded in runs; the next trigger tries again)")
            .register(registry);
    upkeepRuns =
        Counter.builder("logwait.upkeep")
            .description("Upkeep runs between batches (stream --maintain-every)")
            .register(registry);
    upkeepFailed =
        Counter.builder("logwait.upkeep.failed")
            .description("Failed upkeep runs")
            .register(registry);
    gauge("logwait.watermark.lag", "seconds", "Label watermark lag behind now", lag);
    gauge(
        "logwait.watermark.timestamp",
        "seconds",
        "The label watermark (Unix time) of the last batch",
        watermark);
    gauge(
        "logwait.last.finalized.timestamp",
        "seconds",
        "When a batch last finalized a row (Unix time): freshness is time() minus this",
        lastFinalized);
    gauge(
        "logwait.last.batch.timestamp",
        "seconds",
        "When the last batch ended (Unix time)",
        lastBatch);
    gauge(
        "logwait.last.upkeep.timestamp",
        "seconds",
        "When upkeep last succeeded (Unix time)",
        lastUpkeep);
    Gauge.builder("logwait.batches.failed.in.a.row", failuresInARow, AtomicLong::get)
        .description("Failed batches since the last success (stream --max-failures stops at it)")
        .register(registry);
  }

  /**
   * Serves the metrics on {@code port} (0: any free port) of every interface, as a Prometheus
   * scrape target does.
   *
   * @throws IllegalStateException when the port cannot be bound (in use, or not allowed)
   */
  public static StreamMetrics serve(int port) {
    HttpServer s;
    try {
      s = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new IllegalStateException(
          "--metrics-port " + port + ": cannot listen (" + e.getMessage() + "); pick a free port",
          e);
    }
    StreamMetrics m = new StreamMetrics(s);
    s.createContext(
        "/metrics",
        exchange -> {
          byte[] body = m.registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange
              .getResponseHeaders()
              .set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    // one daemon thread: a scrape must never keep the stream's JVM alive
    s.setExecutor(
        java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "logwait-metrics");
              t.setDaemon(true);
              return t;
            }));
    s.start();
    return m;
  }

  /** The port the endpoint listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * A batch that succeeded, from its counts ({@code runs.counts}) and watermark.
   *
   * @param watermarkMicros null: no watermark yet
   */
  public void batch(Map<String, Long> counts, Long watermarkMicros, long millis) {
    batchDuration.record(Duration.ofMillis(millis));
    batches.increment();
    failuresInARow.set(0);
    predictions.increment(counts.getOrDefault("predictions_written", 0L));
    labels.increment(counts.getOrDefault("labels_written", 0L));
    quarantined.increment(counts.getOrDefault("quarantined", 0L));
    long rows = counts.getOrDefault("finalized", 0L);
    finalized.increment(rows);
    double now = System.currentTimeMillis() / 1000.0;
    if (rows > 0) {
      lastFinalized.set(now);
    }
    if (counts.containsKey("watermark_lag_seconds")) {
      lag.set((double) counts.get("watermark_lag_seconds"));
    }
    if (watermarkMicros != null) {
      watermark.set(watermarkMicros / 1e6);
    }
    lastBatch.set(now);
  }

  /** A batch that failed after {@code millis}. */
  public void failedBatch(long millis) {
    batchDuration.record(Duration.ofMillis(millis));
    batches.increment();
    failed.increment();
    failuresInARow.incrementAndGet();
    lastBatch.set(System.currentTimeMillis() / 1000.0);
  }

  /** An upkeep run between batches. */
  public void upkeep(boolean succeeded) {
    upkeepRuns.increment();
    if (succeeded) {
      lastUpkeep.set(System.currentTimeMillis() / 1000.0);
    } else {
      upkeepFailed.increment();
    }
  }

  /**
   * A retraining check's decision.
   *
   * @param holding the conditions that held (empty: no retrain)
   */
  public void decision(boolean retrain, java.util.List<String> holding) {
    Counter.builder("logwait.trigger.decisions")
        .description("Retraining checks (stream --check-every) by decision")
        .tag("decision", retrain ? "retrain" : "none")
        .register(registry)
        .increment();
    for (String c : holding) {
      Counter.builder("logwait.trigger.conditions")
          .description("Retraining conditions that held, by condition")
          .tag("condition", c.contains(" ") ? c.substring(0, c.indexOf(' ')) : c)
          .register(registry)
          .increment();
    }
  }

  /** The Prometheus text, as a scrape gets it. */
  public String scrape() {
    return registry.scrape();
  }

  private Counter rows(String kind, String description) {
    return Counter.builder("logwait.rows.ingested")
        .description("Rows ingested, by kind")
        .tag("kind", kind)
        .register(registry);
  }

  private void gauge(String name, String unit, String description, AtomicReference<Double> v) {
    Gauge.builder(name, v, AtomicReference::get)
        .baseUnit(unit)
        .description(description)
        .register(registry);
  }

  @Override
  public void close() {
    server.stop(0);
    registry.close();
  }
}
