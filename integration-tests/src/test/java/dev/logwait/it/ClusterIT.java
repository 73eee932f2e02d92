package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 3: the shaded jar submitted through SparkSubmit (as spark-submit does) to a standalone
 * master and worker in their own JVMs, with only Spark's jars on their classpaths. The result
 * equals a local run: the jar has no classpath conflicts and nothing relies on driver-only state.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ClusterIT {
  @Test
  void theShadedJarOnAStandaloneClusterEqualsALocalRun() throws Exception {
    Path jar = Path.of(System.getProperty("logwait.shaded-jar"));
    assertThat(jar).as("the shaded jar (mvn package builds it)").exists();
    Scenario s = new Scenario("cluster", 4, 2, Traffic.LABELS);
    Traffic.send(s, 5000, 4);
    try (StandaloneCluster cluster = new StandaloneCluster(s.dir)) {
      cluster.start();
      await().atMost(Duration.ofMinutes(2)).until(cluster::workerRegistered);
      String flags = System.getProperty("logwait.spark-jvm-flags");
      List<String> submit =
          cluster.java(
              "-Xmx1g",
              "org.apache.spark.deploy.SparkSubmit",
              "--master",
              cluster.masterUrl(),
              "--deploy-mode",
              "client",
              "--conf",
              "spark.driver.host=127.0.0.1",
              "--conf",
              "spark.executor.memory=1g",
              "--conf",
              "spark.executor.extraJavaOptions=" + flags,
              "--class",
              "dev.logwait.joiner.cli.JoinerMain",
              jar.toString(),
              "run",
              "--config",
              s.configFile.toString());
      Path log = s.dir.resolve("submit.log");
      Process p =
          cluster
              .sparkProcess(submit)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      assertThat(p.waitFor(6, TimeUnit.MINUTES)).as("submit finished").isTrue();
      String out = Files.readString(log);
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("finalized");
      assertThat(Files.readString(cluster.workerLog)).contains("CoarseGrainedExecutorBackend");
    }
    Scenario local = new Scenario(s, "local");
    local.run();
    TableAssert.sameTables(s, local, "training_traffic");
    assertThat(s.read("training_traffic").count()).isEqualTo(5000);
  }
}
