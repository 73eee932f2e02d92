package dev.logwait.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** A broker JVM on loopback, its classpath from the logwait-kafka-broker module. */
final class BrokerProcess {
  private final Path dir;
  private final int port;
  private final int controllerPort;
  private final Path config;
  private final boolean temporary;
  private Process process;

  /**
   * @param temporary whether {@code dir} is the broker's alone, to delete when it ends (and by the
   *     broker itself when the JVM that started it is gone)
   */
  BrokerProcess(Path dir, int port, int controllerPort, boolean temporary) throws IOException {
    this.dir = dir;
    this.temporary = temporary;
    this.port = port;
    this.controllerPort = controllerPort;
    this.config = dir.resolve("server.properties");
    Properties p = new Properties();
    p.setProperty("process.roles", "broker,controller");
    p.setProperty("node.id", "1");
    p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.setProperty(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.setProperty("controller.listener.names", "CONTROLLER");
    p.setProperty("inter.broker.listener.name", "PLAINTEXT");
    p.setProperty("log.dirs", dir.resolve("data").toString());
    p.setProperty("num.partitions", "1");
    p.setProperty("offsets.topic.replication.factor", "1");
    p.setProperty("transaction.state.log.replication.factor", "1");
    p.setProperty("transaction.state.log.min.isr", "1");
    p.setProperty("share.coordinator.state.topic.replication.factor", "1");
    p.setProperty("share.coordinator.state.topic.min.isr", "1");
    p.setProperty("min.insync.replicas", "1");
    p.setProperty("group.initial.rebalance.delay.ms", "0");
    p.setProperty("auto.create.topics.enable", "true");
    p.setProperty("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
    try (var out = Files.newBufferedWriter(config)) {
      p.store(out, "logwait test broker");
    }
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  void format() throws IOException {
    String uuid = run("kafka.tools.StorageTool", "random-uuid").trim();
    String[] lines = uuid.split("\\R");
    run(
        "kafka.tools.StorageTool",
        "format",
        "-t",
        lines[lines.length - 1].trim(),
        "-c",
        config.toString());
  }

  int port() {
    return port;
  }

  Path dir() {
    return dir;
  }

  boolean temporary() {
    return temporary;
  }

  synchronized void launch() {
    try {
      // BrokerMain runs kafka.Kafka and halts the broker when this JVM is gone (stdin closes); the
      // pipe to its standard input stays open as long as this Process object is held.
      List<String> cmd = command(BrokerMain.class.getName(), "kafka.Kafka", config.toString());
      if (temporary) {
        cmd.add(1, "-D" + BrokerMain.DELETE_ON_ORPHAN + "=" + dir);
      }
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()));
      process = pb.start();
      awaitPort(Duration.ofSeconds(60));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the Kafka broker process", e);
    }
  }

  synchronized void terminate() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  private void awaitPort(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Kafka broker process exited with "
                + process.exitValue()
                + "; see "
                + dir.resolve("broker.log"));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        try {
          process.waitFor(100, TimeUnit.MILLISECONDS); // poll the port, not a blind sleep
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    throw new IllegalStateException(
        "Kafka broker did not listen on "
            + port
            + " within "
            + timeout
            + "; see "
            + dir.resolve("broker.log"));
  }

  private String run(String mainClass, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command(mainClass, args));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IllegalStateException(mainClass + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return out;
  }

  private List<String> command(String mainClass, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx768m");
    cmd.add("-Dlog4j2.configurationFile=classpath:logwait/kafka-broker-log4j2.properties");
    cmd.add("-Dkafka.logs.dir=" + dir.resolve("logs"));
    cmd.add("-cp");
    cmd.add(brokerClasspath());
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    return cmd;
  }

  /**
   * The broker's classpath: Kafka's jars (from the local Maven repository, fetched there when
   * missing: {@link BrokerJars}), the jar that holds the broker's log config, and this module's
   * classes (for {@link BrokerMain}: nothing else of them is loaded there).
   */
  static String brokerClasspath() {
    try (InputStream in =
        KafkaBroker.class.getResourceAsStream("/logwait/kafka-broker.classpath")) {
      if (in == null) {
        throw new IllegalStateException(
            "logwait/kafka-broker.classpath is not on the classpath: build the kafka-broker module"
                + " (mvn install -pl kafka-broker)");
      }
      List<String> jars = new ArrayList<>();
      for (Path jar :
          BrokerJars.fromSystem().resolve(new String(in.readAllBytes(), StandardCharsets.UTF_8))) {
        jars.add(jar.toString());
      }
      String cp = String.join(java.io.File.pathSeparator, jars);
      String self =
          Path.of(
                  KafkaBroker.class
                      .getResource("/logwait/kafka-broker-log4j2.properties")
                      .getPath()
                      .replaceFirst("!/.*$", "")
                      .replaceFirst("^file:", ""))
              .toString();
      // The config is inside a jar, or in a classes folder when run from the reactor.
      String root = self.endsWith(".jar") ? self : Path.of(self).getParent().getParent().toString();
      String testkit =
          Path.of(BrokerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
      return testkit + java.io.File.pathSeparator + root + java.io.File.pathSeparator + cp;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
