package dev.logwait.logger.bandit;

import dev.logwait.logger.bandit.RouterStats.Ignored;
import dev.logwait.logger.bandit.RouterStats.Source;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * Registers a router's counters and gauges with Micrometer. Loaded only when a registry is passed,
 * so that a service without Micrometer on its classpath never touches this class. Every meter reads
 * the router's own counters when scraped: nothing is added to the request thread.
 */
final class RouterMicrometer {
  private static final String PREFIX = "logwait.router.";

  private RouterMicrometer() {}

  static void bind(Object registryObject, Router router) {
    MeterRegistry registry = (MeterRegistry) registryObject;
    String name = router.name();
    for (int i = 0; i < router.arms().size(); i++) {
      int arm = i;
      String armName = router.arms().get(i);
      FunctionCounter.builder(PREFIX + "choices", router, r -> r.choices(arm))
          .description("arms chosen")
          .tags("router", name, "arm", armName)
          .register(registry);
      Gauge.builder(PREFIX + "share", router, r -> r.table().probability(arm))
          .description("the arm's probability of being chosen now (its propensity)")
          .tags("router", name, "arm", armName)
          .register(registry);
      Gauge.builder(PREFIX + "waiting", router, r -> r.policy().waiting(arm))
          .description("the arm's choices still waiting for their rewards, per the posterior")
          .tags("router", name, "arm", armName)
          .register(registry);
    }
    counter(
        registry,
        name,
        router,
        "fallback_choices",
        "chosen by the fallback weights",
        r -> r.fallbackChoices());
    counter(
        registry,
        name,
        router,
        "stale_fallbacks",
        "posterior too old: back to the fallback weights",
        r -> r.policy().staleFallbacks());
    counter(
        registry,
        name,
        router,
        "posteriors_received",
        "posterior messages seen",
        r -> r.policy().received());
    counter(
        registry,
        name,
        router,
        "posteriors_applied",
        "posteriors that became current",
        r -> r.policy().applied());
    counter(
        registry,
        name,
        router,
        "reader_errors",
        "posterior reader errors, retried",
        r -> r.policy().readerErrors());
    for (Ignored reason : Ignored.values()) {
      FunctionCounter.builder(
              PREFIX + "posteriors_ignored", router, r -> r.policy().ignored(reason))
          .description("posterior messages ignored")
          .tags("router", name, "reason", reason.name())
          .register(registry);
    }
    Gauge.builder(PREFIX + "posterior_age_seconds", router, r -> r.policy().ageSeconds())
        .description("age of the current posterior (NaN: none)")
        .tag("router", name)
        .register(registry);
    Gauge.builder(
            PREFIX + "fallback",
            router,
            r ->
                r.policy().source() == Source.FALLBACK_NO_POSTERIOR
                        || r.policy().source() == Source.FALLBACK_STALE
                    ? 1
                    : 0)
        .description("1 while choosing by the fallback weights")
        .tag("router", name)
        .register(registry);
  }

  private static void counter(
      MeterRegistry registry,
      String name,
      Router router,
      String meter,
      String description,
      ToDoubleFunction<Router> value) {
    FunctionCounter.builder(PREFIX + meter, router, value)
        .description(description)
        .tag("router", name)
        .register(registry);
  }
}
