package dev.logwait.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerJarsTest {
  @TempDir Path tmp;

  @Test
  void jarsMissingLocallyAreFetchedAndChecked() throws Exception {
    Path remote = Files.createDirectories(tmp.resolve("remote/org/example/a/1.0"));
    Files.writeString(remote.resolve("a-1.0.jar"), "jar bytes");
    // sha1("jar bytes"), with a file name after it as some repositories write
    Files.writeString(remote.resolve("a-1.0.jar.sha1"), sha1("jar bytes") + "  a-1.0.jar\n");
    Path local = tmp.resolve("local");
    BrokerJars jars = new BrokerJars(local, tmp.resolve("remote").toUri());

    List<Path> resolved = jars.resolve("@M2@/org/example/a/1.0/a-1.0.jar:/abs/old.jar");

    assertThat(resolved)
        .containsExactly(local.resolve("org/example/a/1.0/a-1.0.jar"), Path.of("/abs/old.jar"));
    assertThat(Files.readString(resolved.get(0))).isEqualTo("jar bytes");
    // a second resolve reads the local copy: the remote may be gone
    Files.delete(remote.resolve("a-1.0.jar"));
    assertThat(jars.resolve("@M2@/org/example/a/1.0/a-1.0.jar")).hasSize(1);
  }

  @Test
  void aJarWhoseDigestDiffersIsRefusedAndNotInstalled() throws Exception {
    Path remote = Files.createDirectories(tmp.resolve("remote/org/example/b/1.0"));
    Files.writeString(remote.resolve("b-1.0.jar"), "tampered");
    Files.writeString(remote.resolve("b-1.0.jar.sha1"), sha1("original"));
    Path local = tmp.resolve("local");
    BrokerJars jars = new BrokerJars(local, tmp.resolve("remote").toUri());

    assertThatThrownBy(() -> jars.resolve("@M2@/org/example/b/1.0/b-1.0.jar"))
        .hasMessageContaining("has SHA-1")
        .hasMessageContaining(sha1("original"));
    try (var left = Files.list(local.resolve("org/example/b/1.0"))) {
      assertThat(left).isEmpty(); // neither the jar nor a partial file
    }
  }

  @Test
  void anUnreachableRemoteNamesTheJarAndTheSetting() {
    BrokerJars jars = new BrokerJars(tmp.resolve("local"), tmp.resolve("nowhere").toUri());
    assertThatThrownBy(() -> jars.resolve("@M2@/org/example/c/1.0/c-1.0.jar"))
        .hasMessageContaining("c-1.0.jar")
        .hasMessageContaining("logwait.maven.remote");
  }

  @Test
  void theBrokerModuleListsItsJarsRelativeToTheRepository() throws Exception {
    try (InputStream in =
        KafkaBroker.class.getResourceAsStream("/logwait/kafka-broker.classpath")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(text.split(java.io.File.pathSeparator))
          .allSatisfy(e -> assertThat(e).startsWith(BrokerJars.PREFIX))
          .anySatisfy(e -> assertThat(e).contains("/org/apache/kafka/kafka_2.13/"));
    }
  }

  static String sha1(String s) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-1")
                .digest(s.getBytes(StandardCharsets.UTF_8)));
  }
}
