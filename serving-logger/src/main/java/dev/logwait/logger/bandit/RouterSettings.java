package dev.logwait.logger.bandit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * A router's validated settings, built by {@link RouterBuilder}.
 *
 * @param bootstrapServers null: no background reader (posteriors come through {@code update})
 * @param consumerProps the reader's final consumer properties, or empty without a reader
 * @param pinned the pinned arm's index, or -1
 * @param meterRegistry a Micrometer registry (untyped, so that this class does not name
 *     Micrometer), or null
 */
record RouterSettings(
    String name,
    String[] arms,
    RewardKind rewardKind,
    double[] floors,
    double[] fallbackWeights,
    Duration maxPosteriorAge,
    String bootstrapServers,
    String topic,
    Map<String, Object> consumerProps,
    int monteCarloDraws,
    Supplier<RandomGenerator> random,
    Clock clock,
    Duration tick,
    int pinned,
    Object meterRegistry) {}
