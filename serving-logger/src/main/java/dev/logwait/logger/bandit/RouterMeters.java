package dev.logwait.logger.bandit;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Where a router registers its meters: a Micrometer {@link MeterRegistry}, typed. The only class of
 * this package that names Micrometer, so that a service without Micrometer never loads it.
 *
 * <pre>{@code
 * Router.builder("layout").arms("a", "b").meters(RouterMeters.of(registry))
 * }</pre>
 */
public final class RouterMeters {
  private final MeterRegistry registry;

  private RouterMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Meters in a Micrometer registry, each tagged {@code router}: counters {@code
   * logwait.router.choices} (tagged {@code arm}), {@code .fallback_choices}, {@code
   * .stale_fallbacks}, {@code .posteriors_received}, {@code .posteriors_applied}, {@code
   * .posteriors_ignored} (tagged {@code reason}), {@code .reader_errors}; gauges {@code .share} and
   * {@code .waiting} (tagged {@code arm}), {@code .posterior_age_seconds} (NaN without a posterior)
   * and {@code .fallback} (1 while choosing by the fallback weights).
   *
   * @param registry the service's registry
   * @return the meters' destination, for {@link RouterBuilder#meters}
   */
  public static RouterMeters of(MeterRegistry registry) {
    return new RouterMeters(Objects.requireNonNull(registry, "registry"));
  }

  /** The registry, untyped, so that the router does not name Micrometer. */
  Object registry() {
    return registry;
  }
}
