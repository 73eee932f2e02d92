package dev.logwait.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a service's CI meets: a local Maven repository without Kafka's server jars (its build
 * depends on the broker module without its dependencies). The broker process fetches them from a
 * remote repository (here this build's own local repository, served as a file URL, so that the test
 * needs no network) and starts.
 */
class BrokerFromEmptyRepositoryIT {
  @TempDir Path tmp;

  @Test
  void theBrokerProcessStartsFromAnEmptyLocalRepository() throws Exception {
    Path remote = remoteFrom(BrokerJars.fromSystem().localRepo());
    Path empty = Files.createDirectories(tmp.resolve("m2"));
    Map<String, String> saved =
        Map.of(
            "logwait.maven.local", System.getProperty("logwait.maven.local", ""),
            "logwait.kafka.mode", System.getProperty("logwait.kafka.mode", ""));
    System.setProperty("logwait.maven.local", empty.toString());
    System.setProperty("logwait.maven.remote", remote.toUri().toString());
    System.setProperty("logwait.kafka.mode", "process");
    try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("broker"))) {
      assertThat(broker.mode()).isEqualTo("process");
      broker.createTopics(1, "fetched");
      try (Admin admin = Admin.create(broker.clientProps())) {
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("fetched");
      }
      assertThat(empty.resolve("org/apache/kafka/kafka_2.13")).isDirectory();
    } finally {
      System.clearProperty("logwait.maven.remote");
      saved.forEach(
          (k, v) -> {
            if (v.isEmpty()) {
              System.clearProperty(k);
            } else {
              System.setProperty(k, v);
            }
          });
    }
  }

  private Path remoteFrom(Path buildRepo) throws Exception {
    Path remote = tmp.resolve("remote");
    try (var in = KafkaBroker.class.getResourceAsStream("/logwait/kafka-broker.classpath")) {
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
      for (String entry : text.split(java.io.File.pathSeparator)) {
        String relative = entry.substring(BrokerJars.PREFIX.length());
        Path jar = remote.resolve(relative);
        Files.createDirectories(jar.getParent());
        Files.copy(buildRepo.resolve(relative), jar);
        byte[] digest =
            java.security.MessageDigest.getInstance("SHA-1").digest(Files.readAllBytes(jar));
        Files.writeString(
            jar.resolveSibling(jar.getFileName() + ".sha1"),
            java.util.HexFormat.of().formatHex(digest));
      }
    }
    return remote;
  }
}
