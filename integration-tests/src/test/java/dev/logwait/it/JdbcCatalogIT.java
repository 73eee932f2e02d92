package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.logwait.testkit.PostgresServer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The joiner on a production-style catalog: Iceberg's {@code JdbcCatalog} over a real PostgreSQL
 * server (started by the test fixture from Debian's package). The tables equal those of the
 * Hadoop-catalog reference run on the same topics; two joiners at once end as one; a joiner killed
 * with SIGKILL mid-commit is completed by a rerun.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class JdbcCatalogIT {
  static PostgresServer postgres;
  static Scenario data;
  static Scenario reference;

  @BeforeAll
  static void start() {
    postgres = PostgresServer.start();
    // Iceberg creates its catalog tables in PostgreSQL on first use: once, before the tests.
    Scenario init =
        Scenario.onJdbcCatalog(
            new Scenario("jdbcinit", 1, 1, Traffic.LABELS), "", postgres.jdbcUrl());
    init.spark().sql("SHOW NAMESPACES IN " + init.id).collectAsList();
    data = new Scenario("jdbc", 2, 2, Traffic.LABELS);
    Traffic.send(data, 1500, 7);
    reference = new Scenario(data, "ref");
    reference.run();
  }

  @AfterAll
  static void stop() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void theGroundTruthTablesAreTheSameOnAJdbcCatalog() throws Exception {
    Scenario s = Scenario.onJdbcCatalog(data, "one", postgres.jdbcUrl());
    var first = s.run();
    assertThat(first.counts()).containsEntry("finalized", 1500L);
    TableAssert.sameTables(s, reference, "training_traffic");
    var again = s.run();
    for (String k : List.of("predictions_written", "labels_written", "finalized")) {
      assertThat(again.counts()).containsEntry(k, 0L);
    }
    // the catalog is PostgreSQL's: Iceberg's own table holds this catalog's tables
    try (var c = java.sql.DriverManager.getConnection(postgres.jdbcUrl(), PostgresServer.USER, "");
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM iceberg_tables WHERE catalog_name = '" + s.id + "'")) {
      rs.next();
      assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(5); // raw x2, quarantine, runs, training
    }
  }

  @Test
  void twoJoinersAtOnceEndAsOne() {
    Scenario s = Scenario.onJdbcCatalog(data, "two", postgres.jdbcUrl());
    JoinerProcess a = JoinerProcess.start(s, null, "run");
    JoinerProcess b = JoinerProcess.start(s, null, "run");
    int exitA = a.await(Duration.ofMinutes(5));
    int exitB = b.await(Duration.ofMinutes(5));
    assertThat(exitA == 0 || exitB == 0).as(a.output() + b.output()).isTrue();
    for (JoinerProcess p : List.of(a, b)) {
      if (p.process.exitValue() != 0) {
        assertThat(p.output()).contains("Another logwait run committed to");
      }
    }
    TableAssert.sameTables(s, reference, "training_traffic");
  }

  @Test
  void aJoinerKilledMidCommitIsCompletedByTheNextRun() {
    Scenario s = Scenario.onJdbcCatalog(data, "kill", postgres.jdbcUrl());
    JoinerProcess victim = JoinerProcess.start(s, "writing-training_traffic", "run");
    var marker = s.dir.resolve("markers/writing-training_traffic.reached");
    await()
        .atMost(Duration.ofMinutes(4))
        .until(() -> Files.exists(marker) || !victim.process.isAlive());
    assertThat(victim.process.isAlive()).as(victim.output()).isTrue();
    victim.kill();
    s.run();
    TableAssert.sameTables(s, reference, "training_traffic");
    assertThat(s.run().counts()).containsEntry("finalized", 0L);
  }
}
