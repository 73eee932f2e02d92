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
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A real Kafka broker for tests: a Testcontainers {@code KafkaContainer} where a Docker engine
 * answers, otherwise a real single-node KRaft broker process started from Kafka's own Maven
 * artifacts on a free loopback port. Never a mock, never a skip.
 *
 * <p>{@link #stop()} and {@link #start()} take the broker away and bring it back on the same
 * address with its data (an outage); {@link #close()} ends it for good. A broker process never
 * outlives the JVM that started it, even one killed with SIGKILL ({@link BrokerMain}).
 *
 * <p>A test may choose the broker's port ({@link #start(Path, int)}): it then runs as a process,
 * where Docker answers too, since a container's port is Docker's to choose.
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

  /**
   * Starts a broker on a free port; returns when it accepts connections.
   *
   * @param workDir the broker's folder (data, logs); kept after {@link #close()}
   * @return the running broker
   */
  public static KafkaBroker start(Path workDir) {
    return start(workDir, 0);
  }

  /**
   * Starts a broker on the given port of 127.0.0.1; returns when it accepts connections.
   *
   * @param workDir the broker's folder (data, logs); kept after {@link #close()}
   * @param port the port clients connect to; 0 for a free one (and a container where Docker
   *     answers)
   * @return the running broker
   * @throws IllegalStateException when the port is in use
   */
  public static KafkaBroker start(Path workDir, int port) {
    return start(workDir, port, false);
  }

  /**
   * Starts a broker in a new temporary folder that {@link #close()} deletes (and the broker process
   * itself, when the JVM that started it is gone first).
   *
   * @param port the port clients connect to; 0 for a free one
   * @return the running broker
   */
  public static KafkaBroker startTemporary(int port) {
    Path dir;
    try {
      dir = Files.createTempDirectory("logwait-kafka");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return start(dir, port, true);
    } catch (RuntimeException | Error e) {
      BrokerMain.deleteQuietly(dir);
      throw e;
    }
  }

  private static KafkaBroker start(Path workDir, int port, boolean temporary) {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0 (a free one) or 1-65535, was " + port);
    }
    if (port == 0 && dockerAnswers("logwait.kafka.mode") && testcontainersLoads()) {
      KafkaContainer c = new KafkaContainer(IMAGE);
      c.start();
      if (temporary) {
        BrokerMain.deleteQuietly(workDir); // the container keeps its data inside
      }
      return new KafkaBroker(c, null);
    }
    try {
      if (port != 0) {
        checkFree(port);
      }
      BrokerProcess p =
          new BrokerProcess(
              Files.createDirectories(workDir),
              port == 0 ? freePort() : port,
              freePort(),
              temporary);
      p.format();
      p.launch();
      return new KafkaBroker(null, p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The broker process's folder.
   *
   * @return its data and logs, or null for a container
   */
  public Path workDir() {
    return process == null ? null : process.dir();
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

  /** Ends the broker for good; a temporary one's folder is deleted. Idempotent. */
  @Override
  public void close() {
    if (container != null) {
      container.stop();
    } else {
      process.terminate();
      if (process.temporary()) {
        BrokerMain.deleteQuietly(process.dir());
      }
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

  /**
   * Whether Testcontainers' Kafka module can load: its 1.x containers implement JUnit 4's {@code
   * TestRule}, and logwait-testing keeps JUnit 4 off a service's test classpath.
   */
  static boolean testcontainersLoads() {
    try {
      Class.forName("org.junit.rules.TestRule", false, KafkaBroker.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      LoggerFactory.getLogger(KafkaBroker.class)
          .info(
              "Docker answers, but Testcontainers 1.x needs JUnit 4 on the classpath: starting a"
                  + " Kafka broker process instead");
      return false;
    }
  }

  private static void checkFree(int port) {
    try (ServerSocket s = new ServerSocket(port, 0, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot start a Kafka broker on port "
              + port
              + " of 127.0.0.1: it is in use ("
              + e.getMessage()
              + "); choose another port, or 0 for a free one",
          e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
