package dev.logwait.testing;

import dev.logwait.logger.bandit.Router;
import java.util.Map;

/** Conditions on what a router chose, read from its counts; a failure shows every arm's count. */
public final class RouterAssert {
  private final Router router;

  RouterAssert(Router router) {
    this.router = router;
  }

  /**
   * Fails unless the router chose this arm exactly this many times.
   *
   * @param arm one of the router's arms
   * @param times how many choices of it
   * @return this
   */
  public RouterAssert chose(String arm, long times) {
    Map<String, Long> choices = router.stats().choices();
    if (!choices.containsKey(arm)) {
      throw new AssertionError(
          "Router " + router.name() + " has no arm " + arm + "; its arms are " + router.arms());
    }
    if (choices.get(arm) != times) {
      throw new AssertionError(
          "Expected router "
              + router.name()
              + " to have chosen "
              + arm
              + " "
              + times
              + " times, but it did "
              + choices.get(arm)
              + " times. Choices: "
              + choices);
    }
    return this;
  }

  /**
   * Fails unless the router chose this many times in all.
   *
   * @param times how many choices
   * @return this
   */
  public RouterAssert choseTimes(long times) {
    Map<String, Long> choices = router.stats().choices();
    long total = choices.values().stream().mapToLong(Long::longValue).sum();
    if (total != times) {
      throw new AssertionError(
          "Expected router "
              + router.name()
              + " to have chosen "
              + times
              + " times, but it did "
              + total
              + " times. Choices: "
              + choices);
    }
    return this;
  }
}
