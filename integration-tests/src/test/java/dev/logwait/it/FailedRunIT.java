package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.logger.Label;
import dev.logwait.schema.FeatureSet;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs that fail, as a person meets them through the CLI: a wrong Kafka address fails in seconds
 * naming the key and the address, before anything is created; a write that fails half-way prints
 * one line that says what failed and where, and the run is audited in {@code runs} with the
 * positions the tables it did commit hold; the rerun after the fix completes it.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class FailedRunIT {
  static final FeatureSet FS = FeatureSet.builder("failing", 1).addDouble("x").build();
  static final long T0 = 1_780_000_000_000_000L;

  @Test
  void aWrongKafkaAddressFailsFastNamingItAndCreatesNothing() throws Exception {
    Scenario s = new Scenario("unreachable", 1, 1, "labels:\n  - {name: click, window: 10m}\n");
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort(); // free, and nothing listens once closed
    }
    long started = System.nanoTime();
    JoinerProcess p =
        JoinerProcess.startAsScript(s, "run", "--bootstrap-servers", "127.0.0.1:" + closed);
    assertThat(p.await(Duration.ofMinutes(2))).as(p.output()).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(90));
    assertThat(p.output())
        .contains(
            "logwait joiner failed: Cannot reach Kafka at kafka.bootstrap-servers=127.0.0.1:"
                + closed
                + " within 15 s")
        .contains("Nothing was created or written")
        .doesNotContain("\tat ");
    assertThat(s.dir.resolve("warehouse")).doesNotExist();
  }

  @Test
  void aWriteThatFailsHalfWayIsOneLineAndIsAudited() throws Exception {
    Scenario s = new Scenario("halfway", 1, 1, "labels:\n  - {name: click, window: 10m}\n");
    s.run(); // creates the tables; nothing to ingest yet
    Path data = s.dir.resolve("warehouse").resolve("logwait").resolve("raw_predictions");
    assertThat(data).isDirectory();
    // a file where raw_predictions' data directory belongs: its write fails (as root, a
    // permission bit would not stop it), after quarantine and raw_labels have committed
    Files.writeString(data.resolve("data"), "not a directory");
    s.log(FS, T0, "a", "b", "c");
    try (var labels = s.labelLogger()) {
      labels.log(Label.forPrediction("a", "click", 1, T0 + 1));
      labels.flush(Duration.ofSeconds(60));
    }

    JoinerProcess p = JoinerProcess.startAsScript(s, "run");
    assertThat(p.await(Duration.ofMinutes(3))).as(p.output()).isEqualTo(1);
    String out = p.output();
    assertThat(out)
        .contains("logwait joiner failed: Writing " + s.table("raw_predictions") + " failed: ")
        .contains(data.resolve("data").toString())
        .contains("Nothing that was committed before this run was changed.")
        .doesNotContain("\tat ")
        .doesNotContain("Exception in task");
    assertThat(out.lines().filter(l -> l.contains("ERROR") || l.contains("Exception")).count())
        .as(out)
        .isLessThanOrEqualTo(1);

    for (String t : new String[] {"runs", "raw_predictions", "raw_labels"}) {
      // the child JVM committed: drop this session's cached table metadata (Iceberg's catalog
      // caches tables for 30 s)
      s.spark().sql("REFRESH TABLE " + s.table(t));
    }
    Row failed =
        s.spark()
            .sql(
                "SELECT status, error, offsets, snapshots FROM "
                    + s.table("runs")
                    + " WHERE status = 'failed'")
            .first();
    assertThat(failed.getString(1)).startsWith("Writing " + s.table("raw_predictions"));
    assertThat(failed.getString(3)).contains("raw_labels", "quarantine").doesNotContain("raw_pred");
    assertThat(failed.getString(2))
        .contains("\"raw_labels\":{\"" + s.labels + "/0\":1}")
        .doesNotContain("raw_predictions");
    assertThat(s.read("raw_predictions").count()).isZero();
    assertThat(s.read("raw_labels").count()).isEqualTo(1);

    Files.delete(data.resolve("data"));
    var rerun = s.run();
    assertThat(rerun.counts())
        .containsEntry("predictions_written", 3L)
        .containsEntry("labels_written", 0L);
    assertThat(s.read("runs").where("status = 'succeeded'").count()).isEqualTo(2);

    JoinerProcess q =
        JoinerProcess.startAsScript(
            s,
            "query",
            "SELECT count(*) AS n FROM raw_predictions.snapshots WHERE operation = 'append'",
            "--format",
            "csv");
    assertThat(q.await(Duration.ofMinutes(2))).as(q.output()).isZero();
    assertThat(q.output()).containsPattern("(?m)^n\\R[0-9]+$");
  }
}
