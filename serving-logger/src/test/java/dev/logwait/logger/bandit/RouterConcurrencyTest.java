package dev.logwait.logger.bandit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Many request threads choose while posteriors replace the table underneath them. */
class RouterConcurrencyTest {
  @Test
  void everyChoiceCarriesTheProbabilityOfTheTableItWasDrawnFrom() throws Exception {
    String[] arms = {"a", "b", "c", "d"};
    // Every (arm, weight) pair of every table the router publishes: a choice must report one of
    // them, never an arm of one table with a weight of another.
    Set<Long> published = ConcurrentHashMap.newKeySet();
    try (Router router =
        Router.builder("layout").arms(arms).seed(3).monteCarloDraws(1_000).build()) {
      record(router.table(), published);
      int threads = 4;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch started = new CountDownLatch(threads);
      AtomicBoolean stop = new AtomicBoolean();
      List<Future<long[]>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        results.add(
            pool.submit(
                () -> {
                  Set<Long> seen = new HashSet<>();
                  long n = 0;
                  started.countDown();
                  while (!stop.get() || n < 10_000) {
                    long choice = router.choose();
                    seen.add(choice & ~AliasTable.FALLBACK_BIT);
                    n++;
                  }
                  long[] out = new long[seen.size() + 1];
                  out[0] = n;
                  int i = 1;
                  for (long s : seen) {
                    out[i++] = s;
                  }
                  return out;
                }));
      }
      started.await();
      for (int u = 0; u < 200; u++) {
        double[] rates = {0.1, 0.1 + u % 3 * 0.01, 0.12 - u % 5 * 0.01, 0.05};
        List<ArmStatistics> stats = new ArrayList<>();
        for (int i = 0; i < arms.length; i++) {
          stats.add(new ArmStatistics(arms[i], 1000, 1000 * rates[i], 0, 1000, 0));
        }
        router.update(
            new RouterPosterior(
                "layout",
                Instant.now(),
                "t",
                u,
                null,
                "click",
                RewardKind.BINARY,
                1,
                1,
                null,
                stats));
        record(router.table(), published);
      }
      stop.set(true);
      long total = 0;
      for (Future<long[]> f : results) {
        long[] r = f.get(60, TimeUnit.SECONDS);
        total += r[0];
        for (int i = 1; i < r.length; i++) {
          assertThat(published).as("choice %x", r[i]).contains(r[i]);
        }
      }
      pool.shutdown();
      RouterStats s = router.stats();
      assertThat(s.choices().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
      assertThat(s.posteriorsApplied()).isEqualTo(200);
    }
  }

  private static void record(AliasTable t, Set<Long> published) {
    for (int i = 0; i < t.arms(); i++) {
      published.add((t.weight(i) << 16) | i);
    }
  }
}
