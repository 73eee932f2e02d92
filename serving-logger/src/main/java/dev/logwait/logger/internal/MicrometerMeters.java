package dev.logwait.logger.internal;

import dev.logwait.logger.LoggerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToLongFunction;

/**
 * Registers the engine's counters with Micrometer. Loaded only when a registry is passed, so a
 * service without Micrometer on its classpath never touches this class.
 */
final class MicrometerMeters {
  private MicrometerMeters() {}

  static void bind(Object registryObject, String clientId, LoggerEngine<?> engine) {
    MeterRegistry registry = (MeterRegistry) registryObject;
    counter(registry, clientId, engine, "logged", "records accepted", LoggerStats::logged);
    counter(
        registry, clientId, engine, "sampled_out", "left out by sampling", LoggerStats::sampledOut);
    counter(
        registry,
        clientId,
        engine,
        "dropped",
        "refused: queue full or closed",
        LoggerStats::dropped);
    counter(registry, clientId, engine, "sent", "acknowledged by Kafka", LoggerStats::sent);
    counter(registry, clientId, engine, "failed", "will never be sent", LoggerStats::failed);
    counter(
        registry,
        clientId,
        engine,
        "with_unset_features",
        "logged with features the service never set (as missing)",
        LoggerStats::withUnsetFeatures);
    counter(
        registry,
        clientId,
        engine,
        "without_score",
        "logged without a score (as null)",
        LoggerStats::withoutScore);
    counter(
        registry,
        clientId,
        engine,
        "refused_unset",
        "refused: a feature or the score unset",
        LoggerStats::refusedUnset);
    counter(registry, clientId, engine, "spooled", "written to the spool", LoggerStats::spooled);
    counter(
        registry, clientId, engine, "replayed", "re-sent from the spool", LoggerStats::replayed);
    counter(
        registry,
        clientId,
        engine,
        "spool_dropped",
        "dropped: spool full",
        LoggerStats::spoolDropped);
    Gauge.builder("logwait.logger.spool_records", engine, e -> e.stats().spoolRecords())
        .description("records held in the spool")
        .tag("client_id", clientId)
        .register(registry);
    Gauge.builder("logwait.logger.spool_bytes", engine, e -> e.stats().spoolBytes())
        .description("bytes held in the spool")
        .tag("client_id", clientId)
        .register(registry);
    Gauge.builder("logwait.logger.in_flight", engine, e -> e.stats().inFlight())
        .description("logged, not yet sent or failed")
        .tag("client_id", clientId)
        .register(registry);
    Gauge.builder("logwait.logger.queue_size", engine, LoggerEngine::queueSize)
        .description("records waiting for the worker")
        .tag("client_id", clientId)
        .register(registry);
  }

  private static void counter(
      MeterRegistry registry,
      String clientId,
      LoggerEngine<?> engine,
      String name,
      String description,
      ToLongFunction<LoggerStats> value) {
    FunctionCounter.builder("logwait.logger." + name, engine, e -> value.applyAsLong(e.stats()))
        .description(description)
        .tag("client_id", clientId)
        .register(registry);
  }
}
