package dev.logwait.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A real Kafka broker for tests: a Testcontainers {@code KafkaContainer} where a Docker engine
 * answers, otherwise a real single-node KRaft broker process started from Kafka's own Maven
 * artifacts on a free loopback port. Never a mock, never a skip.
 *
 * <p>{@link #stop()} and {@link #start()} take the broker away and bring it back on the same
 * address with its data (an outage); {@link #close()} ends it for good.
 */
public final class KafkaBroker implements AutoCloseable {
  /** Image used where Docker answers; the same Kafka version as the process path. */
  public static final String IMAGE = "apache/kafka:4.1.1";

  private final KafkaContainer container;
  private final BrokerProcess process;

  private KafkaBroker(KafkaContainer container, BrokerProcess process) {
    this.container = container;
    this.process = process;
  }

  /** Starts a broker; returns when it accepts connections. */
  public static KafkaBroker start(Path workDir) {
    if (dockerAnswers("logwait.kafka.mode")) {
      KafkaContainer c = new KafkaContainer(IMAGE);
      c.start();
      return new KafkaBroker(c, null);
    }
    try {
      BrokerProcess p = new BrokerProcess(Files.createDirectories(workDir), freePort(), freePort());
      p.format();
      p.launch();
      return new KafkaBroker(null, p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Which kind of broker this is: "testcontainers" or "process". */
  public String mode() {
    return container != null ? "testcontainers" : "process";
  }

  public String bootstrapServers() {
    return container != null ? container.getBootstrapServers() : process.bootstrapServers();
  }

  /** Client settings that reach this broker. */
  public Map<String, Object> clientProps() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  /** Creates topics with the given partition count (replication 1). */
  public void createTopics(int partitions, String... topics) {
    try (Admin admin = Admin.create(clientProps())) {
      List<NewTopic> specs = new ArrayList<>();
      for (String t : topics) {
        specs.add(new NewTopic(t, partitions, (short) 1));
      }
      admin.createTopics(specs).all().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create topics " + List.of(topics), e);
    }
  }

  /** Takes the broker away (process: SIGTERM; container: pause). Data is kept. */
  public void stop() {
    if (container != null) {
      DockerClientFactory.instance().client().pauseContainerCmd(container.getContainerId()).exec();
    } else {
      process.terminate();
    }
  }

  /** Brings a stopped broker back on the same address. */
  public void start() {
    if (container != null) {
      DockerClientFactory.instance()
          .client()
          .unpauseContainerCmd(container.getContainerId())
          .exec();
    } else {
      process.launch();
    }
  }

  @Override
  public void close() {
    if (container != null) {
      container.stop();
    } else {
      process.terminate();
    }
  }

  /** Whether a Docker engine answers, unless the given system property asks for a process. */
  static boolean dockerAnswers(String modeProperty) {
    if ("process".equals(System.getProperty(modeProperty))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
