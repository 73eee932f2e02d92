package dev.logwait.logger.internal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToLongFunction;

/**
 * Registers the engine's counts with Micrometer. Loaded only when a registry is passed, so a
 * service without Micrometer on its classpath never touches this class.
 */
final class MicrometerMeters {
  private MicrometerMeters() {}

  static void bind(Object registryObject, String clientId, LoggerEngine<?> engine) {
    MeterRegistry registry = (MeterRegistry) registryObject;
    counter(registry, clientId, engine, "logged", "records accepted", Counts::logged);
    counter(registry, clientId, engine, "sampled_out", "left out by sampling", Counts::sampledOut);
    counter(
        registry, clientId, engine, "dropped", "refused: queue full or closed", Counts::dropped);
    counter(registry, clientId, engine, "sent", "acknowledged by Kafka", Counts::sent);
    counter(registry, clientId, engine, "failed", "will never be sent", Counts::failed);
    counter(
        registry,
        clientId,
        engine,
        "with_unset_features",
        "logged with features the service never set (as missing)",
        Counts::withUnsetFeatures);
    counter(
        registry,
        clientId,
        engine,
        "without_score",
        "logged without a score (as null)",
        Counts::withoutScore);
    counter(
        registry,
        clientId,
        engine,
        "refused_unset",
        "refused: a feature or the score unset",
        Counts::refusedUnset);
    counter(registry, clientId, engine, "spooled", "written to the spool", Counts::spooled);
    counter(registry, clientId, engine, "replayed", "re-sent from the spool", Counts::replayed);
    counter(
        registry, clientId, engine, "spool_dropped", "dropped: spool full", Counts::spoolDropped);
    Gauge.builder("logwait.logger.spool_records", engine, e -> e.counts().spoolRecords())
        .description("records held in the spool")
        .tag("client_id", clientId)
        .register(registry);
    Gauge.builder("logwait.logger.spool_bytes", engine, e -> e.counts().spoolBytes())
        .description("bytes held in the spool")
        .tag("client_id", clientId)
        .register(registry);
    Gauge.builder("logwait.logger.in_flight", engine, e -> e.counts().inFlight())
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
      ToLongFunction<Counts> value) {
    FunctionCounter.builder("logwait.logger." + name, engine, e -> value.applyAsLong(e.counts()))
        .description(description)
        .tag("client_id", clientId)
        .register(registry);
  }
}
