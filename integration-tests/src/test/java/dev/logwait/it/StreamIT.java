package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The continuous mode in a child JVM: killed with SIGKILL inside its first batch, started again, it
 * completes that batch's work; traffic sent while it runs becomes training rows without another
 * command; SIGTERM lets it finish and exit 0; then a batch run takes its turn on the same tables.
 * Every table then equals that of a reference that ran plain batches at the same points.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class StreamIT {
  static final long ROUND_2 = Traffic.T0 + 20_000 * Traffic.SEC;
  static final long ROUND_3 = Traffic.T0 + 40_000 * Traffic.SEC;

  @Test
  void aStreamSurvivesAKillStopsOnSigtermAndTakesTurnsWithBatch() throws Exception {
    Scenario data = new Scenario("stream", 2, 2, Traffic.LABELS);
    Traffic.send(data, 1500, 1);
    Scenario reference = new Scenario(data, "ref");
    reference.run();
    Scenario s = new Scenario(data, "st");

    JoinerProcess victim =
        JoinerProcess.start(s, "after-commit-raw_predictions", "stream", "--trigger", "1s");
    var marker = s.dir.resolve("markers/after-commit-raw_predictions.reached");
    await()
        .atMost(Duration.ofMinutes(4))
        .until(() -> Files.exists(marker) || !victim.process.isAlive());
    assertThat(victim.process.isAlive()).as(victim.output()).isTrue();
    victim.kill(); // SIGKILL inside the first batch, after one of its commits

    JoinerProcess stream = JoinerProcess.start(s, null, "stream", "--trigger", "1s");
    long round1 = reference.read("training_traffic").count();
    awaitRows(s, stream, round1);

    Traffic.send(data, 1000, 2, ROUND_2); // while the stream runs
    reference.run();
    long round2 = reference.read("training_traffic").count();
    assertThat(round2).isGreaterThan(round1);
    awaitRows(s, stream, round2);

    stream.process.destroy(); // SIGTERM
    assertThat(stream.await(Duration.ofMinutes(3))).as(stream.output()).isZero();
    assertThat(stream.output())
        .contains("[stream] started", "[stream] batch 1:", "[stream] stopped after");

    Traffic.send(data, 500, 3, ROUND_3); // a nightly batch takes its turn
    s.run();
    reference.run();
    TableAssert.sameTables(s, reference, "training_traffic");
    assertThat(
            s.spark()
                .sql("SELECT count(*) FROM " + s.table("runs") + " WHERE status <> 'succeeded'")
                .first()
                .getLong(0))
        .isZero();
  }

  private static void awaitRows(Scenario s, JoinerProcess stream, long rows) {
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              assertThat(stream.process.isAlive()).as(stream.output()).isTrue();
              String table = s.table("training_traffic");
              if (!s.spark().catalog().tableExists(table)) {
                return false;
              }
              // Iceberg's caching catalog keeps a table read every second (expire-after-access)
              s.spark().catalog().refreshTable(table);
              return s.read("training_traffic").count() == rows;
            });
  }
}
