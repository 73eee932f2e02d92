package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 8: two runs on the same tables at once end as one run: one commit wins, the other is
 * refused whole and retries from the new position; no duplicates anywhere.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConcurrentJoinersIT {
  @Test
  void twoRunsStartedTogetherEndAsOne() {
    Scenario s = new Scenario("twice", 2, 2, Traffic.LABELS);
    Traffic.send(s, 3000, 1);
    JoinerProcess a = JoinerProcess.start(s, null, "run");
    JoinerProcess b = JoinerProcess.start(s, null, "run");
    int exitA = a.await(Duration.ofMinutes(4));
    int exitB = b.await(Duration.ofMinutes(4));
    // One wins; the other retries from the new position (or, out of attempts, fails cleanly).
    assertThat(exitA == 0 || exitB == 0).as(a.output() + b.output()).isTrue();
    for (JoinerProcess p : java.util.List.of(a, b)) {
      if (p.process.exitValue() != 0) {
        assertThat(p.output()).contains("Another logwait run committed to");
      }
    }

    Scenario reference = new Scenario(s, "ref");
    reference.run();
    TableAssert.sameTables(s, reference, "training_traffic");
  }

  @Test
  void theRunThatCommitsSecondIsRefusedAndRetries() throws Exception {
    Scenario s = new Scenario("race", 2, 2, Traffic.LABELS);
    Traffic.send(s, 2000, 2);
    // A reads its positions, then waits just before its raw_predictions commit …
    JoinerProcess a = JoinerProcess.start(s, "before-commit-raw_predictions", "run");
    var marker = s.dir.resolve("markers/before-commit-raw_predictions.reached");
    await().atMost(Duration.ofMinutes(3)).until(() -> Files.exists(marker) || !a.process.isAlive());
    assertThat(a.process.isAlive()).as(a.output()).isTrue();
    // … while B runs to the end in this JVM.
    var b = s.run();
    assertThat(b.counts()).containsEntry("predictions_written", 2000L);
    Files.writeString(s.dir.resolve("markers/before-commit-raw_predictions.resume"), "go");
    assertThat(a.await(Duration.ofMinutes(4))).as(a.output()).isZero();
    assertThat(a.output())
        .contains("Another logwait run committed to " + s.table("raw_predictions"))
        .contains("Retrying from the new position");

    Scenario reference = new Scenario(s, "ref");
    reference.run();
    TableAssert.sameTables(s, reference, "training_traffic");
  }
}
