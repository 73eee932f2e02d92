package dev.logwait.logger.bandit;

import dev.logwait.logger.bandit.RouterStats.Ignored;
import dev.logwait.logger.bandit.RouterStats.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's background side: takes posteriors (from the reader's thread or a service's {@code
 * update} call, never a request thread), keeps the newest valid one, turns it into an alias table
 * with the floors mixed in, and falls back to the fallback weights while none is usable. Publishes
 * every table through {@code publish}: one volatile write that request threads read.
 */
final class Policy {
  private static final Logger LOG = LoggerFactory.getLogger(Policy.class);

  private final RouterSettings settings;
  private final Consumer<AliasTable> publish;
  private final RandomGenerator rng;
  private final AliasTable fallbackTable;
  private final AliasTable pinnedTable;

  private final LongAdder received = new LongAdder();
  private final LongAdder applied = new LongAdder();
  private final LongAdder staleFallbacks = new LongAdder();
  private final LongAdder readerErrors = new LongAdder();
  private final Map<Ignored, LongAdder> ignored = new EnumMap<>(Ignored.class);

  // Written under this object's lock, read by stats() and meters without it.
  private volatile RouterPosterior current;
  private volatile AliasTable posteriorTable;
  private volatile AliasTable table;
  private volatile Source source;
  private volatile List<String> unknownArms = List.of();

  Policy(RouterSettings settings, Consumer<AliasTable> publish) {
    this.settings = settings;
    this.publish = publish;
    this.rng = settings.random().get();
    for (Ignored reason : Ignored.values()) {
      ignored.put(reason, new LongAdder());
    }
    this.fallbackTable =
        AliasTable.of(
            Shares.apportion(Shares.mix(settings.floors(), settings.fallbackWeights())), true);
    if (settings.pinned() >= 0) {
      long[] w = new long[settings.arms().length];
      w[settings.pinned()] = AliasTable.TOTAL;
      this.pinnedTable = AliasTable.of(w, false);
      switchTo(Source.PINNED, pinnedTable);
    } else {
      this.pinnedTable = null;
      switchTo(Source.FALLBACK_NO_POSTERIOR, fallbackTable);
    }
  }

  /** A message that did not decode: received, and ignored for this reason. */
  void undecodable(Ignored reason) {
    received.increment();
    ignored.get(reason).increment();
  }

  /** Counts an error of the background reader. */
  void readerError() {
    readerErrors.increment();
  }

  /**
   * Takes a batch of posteriors in publication order: each is counted, and the last valid one
   * becomes current (one Monte Carlo run per batch, however many older ones a replay brings).
   *
   * @return whether one became current (or already was)
   */
  synchronized boolean offer(List<RouterPosterior> batch) {
    RouterPosterior newest = null;
    for (RouterPosterior p : batch) {
      received.increment();
      Ignored reason = check(p);
      if (reason != null) {
        ignored.get(reason).increment();
      } else {
        newest = p;
      }
    }
    if (newest == null) {
      return false;
    }
    applied.increment();
    if (!newest.equals(current)) {
      apply(newest);
    }
    refresh();
    return true;
  }

  private Ignored check(RouterPosterior p) {
    if (!p.router().equals(settings.name())) {
      LOG.warn(
          "logwait router {}: ignored a posterior of router {} (a message under this router's key"
              + " that names another: check the publisher)",
          settings.name(),
          p.router());
      return Ignored.OTHER_ROUTER;
    }
    if (p.rewardKind() != settings.rewardKind()) {
      LOG.warn(
          "logwait router {}: ignored a posterior with reward kind {}; the router was built for {}"
              + " (RouterBuilder.rewardKind)",
          settings.name(),
          p.rewardKind(),
          settings.rewardKind());
      return Ignored.REWARD_KIND;
    }
    String problem = Posteriors.problem(p);
    if (problem != null) {
      LOG.warn("logwait router {}: ignored a posterior: {}", settings.name(), problem);
      return Ignored.INVALID;
    }
    return null;
  }

  private void apply(RouterPosterior p) {
    double[] best =
        Posteriors.probabilityOfBest(p, settings.arms(), settings.monteCarloDraws(), rng);
    posteriorTable = AliasTable.of(Shares.apportion(Shares.mix(settings.floors(), best)), false);
    Set<String> mine = Set.of(settings.arms());
    unknownArms =
        p.arms().stream()
            .map(ArmStatistics::arm)
            .filter(a -> !mine.contains(a))
            .collect(Collectors.toUnmodifiableList());
    current = p;
  }

  /** Goes back to the fallback weights when the current posterior grew too old. */
  synchronized void checkAge() {
    refresh();
  }

  private void refresh() {
    if (source == Source.PINNED) {
      return;
    }
    RouterPosterior p = current;
    if (p == null) {
      return;
    }
    if (age(p).compareTo(settings.maxPosteriorAge()) > 0) {
      if (source != Source.FALLBACK_STALE) {
        staleFallbacks.increment();
        LOG.warn(
            "logwait router {}: the newest posterior (published {}) is older than {}; choosing"
                + " by the fallback weights until a newer one arrives",
            settings.name(),
            p.publishedAt(),
            settings.maxPosteriorAge());
        switchTo(Source.FALLBACK_STALE, fallbackTable);
      }
    } else if (table != posteriorTable) {
      switchTo(Source.POSTERIOR, posteriorTable);
    }
  }

  private void switchTo(Source s, AliasTable t) {
    source = s;
    table = t;
    publish.accept(t);
  }

  private Duration age(RouterPosterior p) {
    return Duration.between(p.publishedAt(), Instant.now(settings.clock()));
  }

  Source source() {
    return source;
  }

  /** The table request threads use now. */
  AliasTable table() {
    return table;
  }

  long received() {
    return received.sum();
  }

  long applied() {
    return applied.sum();
  }

  long ignored(Ignored reason) {
    return ignored.get(reason).sum();
  }

  long staleFallbacks() {
    return staleFallbacks.sum();
  }

  long readerErrors() {
    return readerErrors.sum();
  }

  /** The current posterior's age in seconds, or NaN without one (for a gauge). */
  double ageSeconds() {
    RouterPosterior p = current;
    return p == null ? Double.NaN : age(p).toNanos() / 1e9;
  }

  /** The current posterior's waiting count for arm {@code i} (0 without one). */
  long waiting(int i) {
    RouterPosterior p = current;
    if (p == null) {
      return 0;
    }
    for (ArmStatistics a : p.arms()) {
      if (a.arm().equals(settings.arms()[i])) {
        return a.waiting();
      }
    }
    return 0;
  }

  RouterStats stats(long[] choices, long fallbackChoices) {
    String[] arms = settings.arms();
    AliasTable t = table;
    RouterPosterior p = current;
    Map<String, Double> shares = new LinkedHashMap<>();
    Map<String, Long> chosen = new LinkedHashMap<>();
    Map<String, Long> waiting = new LinkedHashMap<>();
    for (int i = 0; i < arms.length; i++) {
      shares.put(arms[i], t.probability(i));
      chosen.put(arms[i], choices[i]);
      waiting.put(arms[i], waiting(i));
    }
    Map<Ignored, Long> ignoredBy = new EnumMap<>(Ignored.class);
    ignored.forEach((k, v) -> ignoredBy.put(k, v.sum()));
    return new RouterStats(
        settings.name(),
        source,
        Collections.unmodifiableMap(shares),
        Collections.unmodifiableMap(chosen),
        fallbackChoices,
        staleFallbacks.sum(),
        received.sum(),
        applied.sum(),
        Collections.unmodifiableMap(ignoredBy),
        p == null ? null : age(p),
        p == null ? null : p.trainingSnapshot(),
        p == null ? null : p.labelWatermark(),
        Collections.unmodifiableMap(waiting),
        unknownArms,
        readerErrors.sum());
  }
}
