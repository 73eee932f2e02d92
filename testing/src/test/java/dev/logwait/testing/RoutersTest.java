package dev.logwait.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.logger.bandit.Router;
import dev.logwait.logger.bandit.RouterBuilder;
import dev.logwait.schema.FeatureSet;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** A service's unit test of code that routes with a bandit, as a team would write it. */
class RoutersTest {
  static final FeatureSet PAGE = FeatureSet.builder("page", 1).addLong("hour").build();

  /** The code under test: chooses a layout, logs the choice with the page's score. */
  record LayoutService(Router router, PredictionLogger logger) {
    static RouterBuilder routerBuilder() {
      return Router.builder("layout")
          .arms("grid", "list", "carousel")
          .bootstrapServers("kafka.prod.invalid:9092"); // never contacted by a pinned router
    }

    String serve(String user) {
      long choice = router.choose();
      Prediction p = logger.prediction(PAGE, "layout-ranker", "v3").set("hour", 10L);
      router.apply(choice, p).entity("user_id", user).score(0.42);
      logger.log(p);
      return router.arm(choice);
    }
  }

  @Test
  void aPinnedRouterTakesTheKnownPathAndTheLogShowsItWithPropensityOne() {
    Recorder recorder = new Recorder();
    PredictionLogger logger = recorder.predictionLogger(PredictionLogger.builder());
    try (Router router = Routers.pinned(LayoutService.routerBuilder(), "list")) {
      LayoutService service = new LayoutService(router, logger);
      Assertions.assertThat(service.serve("u1")).isEqualTo("list");
      Assertions.assertThat(service.serve("u2")).isEqualTo("list");

      LogwaitAssertions.assertThat(router).chose("list", 2).chose("grid", 0).choseTimes(2);
      LogwaitAssertions.assertThat(recorder)
          .loggedPrediction()
          .withEntity("user_id", "u1")
          .withAction("list")
          .withPropensity(1.0)
          .withScore(0.42)
          .once();
      assertThatThrownBy(() -> LogwaitAssertions.assertThat(router).chose("grid", 1))
          .isInstanceOf(AssertionError.class)
          .hasMessage(
              "Expected router layout to have chosen grid 1 times, but it did 0 times. Choices:"
                  + " {grid=0, list=2, carousel=0}");
      assertThatThrownBy(
              () -> LogwaitAssertions.assertThat(recorder).loggedPrediction().withAction("grid"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("with action grid, but none of the 2 logged matches")
          .hasMessageContaining("action=list propensity=1.0");
    }
    logger.close();
  }

  @Test
  void aPinnedRouterOfItsOwnArmsAndAnArmItDoesNotHave() {
    try (Router router = Routers.pinned("layout", "b", "a", "c")) {
      Assertions.assertThat(router.arms()).containsExactly("b", "a", "c");
      long choice = router.choose();
      Assertions.assertThat(router.arm(choice)).isEqualTo("b");
      Assertions.assertThat(router.propensity(choice)).isEqualTo(1.0);
    }
    assertThatThrownBy(() -> Routers.pinned(LayoutService.routerBuilder(), "tiles"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "pin names arm tiles, which router layout does not have: [grid, list, carousel]");
    assertThatThrownBy(() -> LogwaitAssertions.assertThat(Routers.pinned("r", "a")).chose("z", 0))
        .hasMessage("Router r has no arm z; its arms are [a]");
  }
}
