package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 2: the joiner, in a child JVM, is killed with SIGKILL at several points of a run; a
 * normal rerun follows. The tables then equal those of an uninterrupted run, and one more run
 * writes nothing.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class CrashIT {
  static Scenario data;
  static Scenario uninterrupted;

  @BeforeAll
  static void traffic() {
    data = new Scenario("crash", 2, 2, Traffic.LABELS);
    Traffic.send(data, 4000, 3);
    uninterrupted = new Scenario(data, "ref");
    uninterrupted.run();
  }

  @ParameterizedTest(name = "killed at {0}")
  @ValueSource(
      strings = {
        "before-commit-quarantine", // during ingest, before any commit
        "after-commit-raw_labels", // between two tables' commits
        "between-ingest-and-join",
        "writing-training_traffic", // during the join write
        "after-commit-training_traffic" // right after the last commit, before runs
      })
  void aKilledRunIsCompletedByTheNextOne(String point) {
    Scenario s = new Scenario(data, "k" + Math.abs(point.hashCode() % 1000));
    JoinerProcess victim =
        JoinerProcess.start(s, point.startsWith("writing-") ? null : point, "run");
    var marker = s.dir.resolve("markers/" + point + ".reached");
    await()
        .atMost(Duration.ofMinutes(4))
        .until(() -> Files.exists(marker) || !victim.process.isAlive());
    assertThat(victim.process.isAlive())
        .as("still running at %s:\n%s", point, victim.output())
        .isTrue();
    victim.kill();

    var rerun = s.run();
    TableAssert.sameTables(s, uninterrupted, "training_traffic");
    var again = s.run();
    for (String k : List.of("predictions_written", "labels_written", "quarantined", "finalized")) {
      assertThat(again.counts()).as("%s after %s", k, rerun.counts()).containsEntry(k, 0L);
    }
  }

  @Test
  void uninterruptedReferenceIsComplete() {
    assertThat(uninterrupted.read("training_traffic").count()).isEqualTo(4000);
    assertThat(uninterrupted.read("raw_predictions").count()).isEqualTo(4000);
  }
}
