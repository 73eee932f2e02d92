package dev.logwait.it;

import dev.logwait.logger.bandit.Router;
import dev.logwait.logger.bandit.RouterStats;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * A service with a bandit router in a child JVM for {@code RouterProcessIT}: a request thread
 * chooses every few milliseconds, as a service would, and prints a line whenever what the router
 * routes by changes: {@code STATE <source> <training snapshot or null> <share of each arm> <reader
 * errors>}, then, from the choices made after it, the propensity each arm's choices report and
 * whether they were fallback choices: {@code CHOSEN <training snapshot or null> <propensity of each
 * arm> <fallback>}. Anything thrown on the request thread prints {@code FAILED} and ends the
 * process. Runs until killed. Arguments: bootstrap servers, posteriors topic, router, arms
 * (comma-separated).
 */
public final class RouterChild {
  private RouterChild() {}

  public static void main(String[] args) {
    Router router =
        Router.builder(args[2])
            .arms(args[3].split(","))
            .bootstrapServers(args[0])
            .topic(args[1])
            .build();
    List<String> arms = router.arms();
    String last = "";
    try {
      while (true) {
        RouterStats s = router.stats();
        String state = s.source() + " " + s.trainingSnapshot();
        if (!state.equals(last)) {
          StringBuilder line = new StringBuilder("STATE ").append(state);
          for (String arm : arms) {
            line.append(' ').append(String.format(Locale.ROOT, "%.6f", s.shares().get(arm)));
          }
          System.out.println(line.append(' ').append(s.readerErrors()));
          System.out.println(chosen(router, s.trainingSnapshot()));
          System.out.flush();
          last = state;
        }
        router.choose();
        LockSupport.parkNanos(5_000_000L);
      }
    } catch (RuntimeException | Error e) {
      System.out.println("FAILED " + e);
      e.printStackTrace(System.out);
      System.out.flush();
      System.exit(1);
    }
  }

  /**
   * Chooses until every arm was chosen once (floors make each arm at least 0.5% likely), and
   * reports each arm's propensity. A posterior arriving meanwhile would mix two tables: the line is
   * then marked {@code MIXED}, which the test fails on (it publishes the next posterior only after
   * it has read this line, so none should arrive).
   */
  private static String chosen(Router router, Long snapshot) {
    List<String> arms = router.arms();
    double[] propensity = new double[arms.size()];
    boolean fallback = false;
    int seen = 0;
    for (int i = 0; i < 1_000_000 && seen < arms.size(); i++) {
      long c = router.choose();
      int arm = router.armIndex(c);
      if (propensity[arm] == 0) {
        propensity[arm] = router.propensity(c);
        seen++;
      }
      fallback |= router.isFallback(c);
    }
    boolean mixed = !java.util.Objects.equals(router.stats().trainingSnapshot(), snapshot);
    StringBuilder line = new StringBuilder(mixed ? "MIXED " : "CHOSEN ").append(snapshot);
    for (double p : propensity) {
      line.append(' ').append(String.format(Locale.ROOT, "%.6f", p));
    }
    return line.append(' ').append(fallback).toString();
  }
}
