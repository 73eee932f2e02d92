package dev.logwait.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A test JVM that starts a broker process and is then killed with SIGKILL (no cleanup of its own
 * runs) leaves no broker behind and no temporary folder: the broker halts when its parent is gone.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BrokerOutlivesNoJvmIT {
  /** The killed test JVM: starts a temporary broker, says where, and waits. */
  public static void main(String[] args) {
    KafkaBroker broker = KafkaBroker.startTemporary(0);
    System.out.println("BROKER " + broker.bootstrapServers() + " " + broker.workDir());
    System.out.flush();
    while (true) { // until SIGKILL
      LockSupport.parkNanos(1_000_000_000L);
    }
  }

  @Test
  void aBrokerWhoseJvmWasKilledStopsAndDeletesItsFolder() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String local = System.getProperty("logwait.maven.local");
    if (local != null) {
      cmd.add("-Dlogwait.maven.local=" + local);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), getClass().getName()));
    Process parent = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String line;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("BROKER "));
      assertThat(line).as("the child JVM announced its broker").isNotNull();
      String[] parts = line.split(" ");
      int port = Integer.parseInt(parts[1].substring(parts[1].lastIndexOf(':') + 1));
      Path dir = Path.of(parts[2]);
      assertThat(connects(port)).isTrue();
      assertThat(dir).isDirectory();

      parent.destroyForcibly(); // SIGKILL: no shutdown hook, no afterAll
      parent.waitFor();

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(connects(port)).as("a broker still listens on %d", port).isFalse();
                assertThat(Files.exists(dir)).as("%s deleted", dir).isFalse();
              });
    }
  }

  private static boolean connects(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
