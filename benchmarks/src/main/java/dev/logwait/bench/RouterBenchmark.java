package dev.logwait.bench;

import dev.logwait.logger.bandit.ArmStatistics;
import dev.logwait.logger.bandit.RewardKind;
import dev.logwait.logger.bandit.Router;
import dev.logwait.logger.bandit.RouterPosterior;
import dev.logwait.logger.bandit.RouterStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What a bandit router's choice costs the request thread. {@code choose}: {@code Router.choose()}
 * on a posterior whose shares differ per arm; {@code chooseArmAndPropensity}: the choice and the
 * two values a service logs from it; {@code baselineUniform}: a plain {@code
 * ThreadLocalRandom.nextInt(n)}, the 1/n choice of an A/B test. Run with {@code -prof gc}: the
 * router's background thread parks between age checks, so the allocation per operation is the
 * request path's.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouterBenchmark {
  @Param({"2", "10"})
  public int arms;

  private Router router;

  @Setup(Level.Trial)
  public void startRouter() {
    List<String> names = new ArrayList<>();
    List<ArmStatistics> stats = new ArrayList<>();
    for (int i = 0; i < arms; i++) {
      names.add("arm" + i);
      // close rates, so that every arm keeps a share above its floor and the table has aliases
      double clicks = 100 + 3 * i;
      stats.add(new ArmStatistics("arm" + i, 2000, clicks, clicks, 2000, 0));
    }
    router = Router.builder("bench").arms(names).seed(1).build();
    if (!router.update(
        RouterPosterior.of("bench", RewardKind.BINARY, stats.toArray(ArmStatistics[]::new)))) {
      throw new IllegalStateException("the benchmark's posterior was not applied");
    }
    System.out.printf("%n  [router shares: %s]%n", router.stats().shares());
  }

  @TearDown(Level.Trial)
  public void closeRouter() {
    RouterStats s = router.stats();
    System.out.printf("%n  [router: %s choices, %d fallback]%n", s.choices(), s.fallbackChoices());
    router.close();
  }

  @Benchmark
  public long choose() {
    return router.choose();
  }

  @Benchmark
  public void chooseArmAndPropensity(Blackhole bh) {
    long choice = router.choose();
    bh.consume(router.arm(choice));
    bh.consume(router.propensity(choice));
  }

  @Benchmark
  public int baselineUniform() {
    return ThreadLocalRandom.current().nextInt(arms);
  }
}
