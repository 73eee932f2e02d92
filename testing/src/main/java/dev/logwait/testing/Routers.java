package dev.logwait.testing;

import dev.logwait.logger.bandit.Router;
import dev.logwait.logger.bandit.RouterBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Routers for a service's tests: the real {@link Router}, pinned to one arm, so that the code under
 * test takes a known path. A pinned router always chooses its arm with propensity 1, reads no
 * posterior topic (bootstrap servers in the builder are left alone, never contacted) and starts no
 * thread; its {@link Router#stats()} count what the code under test chose ({@link
 * LogwaitAssertions#assertThat(Router)}).
 *
 * <pre>{@code
 * Router layout = Routers.pinned(LayoutService.routerBuilder(config), "list");
 * new LayoutService(layout, logger).serve(request);
 * LogwaitAssertions.assertThat(layout).chose("list", 1);
 * LogwaitAssertions.assertThat(recorder).loggedPrediction().withAction("list").withPropensity(1.0).once();
 * }</pre>
 */
public final class Routers {
  private Routers() {}

  /**
   * The service's own router configuration, pinned to one arm.
   *
   * @param builder the router's settings, as the service makes them
   * @param arm one of its arms
   * @return the router, always choosing {@code arm}
   * @throws IllegalArgumentException when the builder has no such arm
   */
  public static Router pinned(RouterBuilder builder, String arm) {
    return builder.pin(arm).build();
  }

  /**
   * A router of these arms, pinned to the first.
   *
   * @param name the router's name
   * @param arm the arm it always chooses
   * @param otherArms the arms it has besides, never chosen
   * @return the router
   */
  public static Router pinned(String name, String arm, String... otherArms) {
    List<String> arms = new ArrayList<>();
    arms.add(arm);
    arms.addAll(List.of(otherArms));
    return pinned(Router.builder(name).arms(arms), arm);
  }
}
