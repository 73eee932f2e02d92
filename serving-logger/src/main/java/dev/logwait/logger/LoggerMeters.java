package dev.logwait.logger;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Where a logger registers its meters: a Micrometer {@link MeterRegistry}, typed. The only logwait
 * class that names Micrometer, so that a service without Micrometer on its classpath never loads it
 * (the builders take this type, not Micrometer's).
 *
 * <pre>{@code
 * PredictionLogger.builder().meters(LoggerMeters.of(registry))
 * }</pre>
 */
public final class LoggerMeters {
  private final MeterRegistry registry;

  private LoggerMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Meters in a Micrometer registry: counters {@code logwait.logger.logged}, {@code .sent}, {@code
   * .failed}, {@code .dropped}, {@code .sampled_out}, {@code .with_unset_features}, {@code
   * .without_score}, {@code .refused_unset}, {@code .spooled}, {@code .replayed}, {@code
   * .spool_dropped}, gauges {@code .in_flight}, {@code .queue_size}, {@code .spool_records}, {@code
   * .spool_bytes}, each tagged {@code client_id}.
   *
   * @param registry the service's registry
   * @return the meters' destination, for {@link LoggerBuilder#meters}
   */
  public static LoggerMeters of(MeterRegistry registry) {
    return new LoggerMeters(Objects.requireNonNull(registry, "registry"));
  }

  /** The registry, as the engine takes it (Object, so that the engine does not name Micrometer). */
  Object registry() {
    return registry;
  }
}
