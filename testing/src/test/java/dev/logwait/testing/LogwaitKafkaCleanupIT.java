package dev.logwait.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * A service's test class with {@link LogwaitKafka}, run by JUnit's launcher inside this test: its
 * broker is on the port it chose, and once the class is done the broker is stopped and its folder
 * deleted (not when the JVM exits). The consumer project ({@code consumer-it}) checks the same on
 * JUnit 5.10.
 */
class LogwaitKafkaCleanupIT {
  static final int PORT = 39_417;
  static volatile String servers;
  static volatile Path workDir;

  @LogwaitKafka(
      topics = {"svc-predictions"},
      port = PORT)
  static class AServiceIT {
    @Test
    void runs(@BootstrapServers String bootstrap, LogwaitBroker broker) {
      servers = bootstrap;
      workDir = broker.workDir();
      assertThat(workDir).isDirectory();
      assertThat(connects(PORT)).isTrue();
    }
  }

  @Test
  void theBrokerRunsOnTheChosenPortAndIsGoneWithItsFolderAfterTheClass() {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create()
        .execute(request().selectors(selectClass(AServiceIT.class)).build(), listener);
    StringWriter failures = new StringWriter();
    listener.getSummary().printFailuresTo(new PrintWriter(failures), 20);
    assertThat(listener.getSummary().getTestsSucceededCount()).as(failures.toString()).isOne();
    assertThat(servers).isEqualTo("127.0.0.1:" + PORT);
    assertThat(workDir.getFileName().toString()).startsWith("logwait-kafka");
    assertThat(Files.exists(workDir)).as("the broker's folder %s", workDir).isFalse();
    assertThat(connects(PORT)).as("a broker still listens on %d", PORT).isFalse();
  }

  static boolean connects(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
