package dev.logwait.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone master and one worker, each its own JVM, started from Spark's jars (the
 * logwait-spark-dist classpath) on loopback, with a SPARK_HOME whose jars/ links to them.
 */
final class StandaloneCluster implements AutoCloseable {
  final Path home;
  final String classpath;
  final int port;
  private final List<Process> processes = new ArrayList<>();
  final Path masterLog;
  final Path workerLog;

  StandaloneCluster(Path dir) throws IOException {
    this.classpath = sparkClasspath();
    this.home = Files.createDirectories(dir.resolve("spark-home"));
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String jar : classpath.split(java.io.File.pathSeparator)) {
      Path source = Path.of(jar);
      Path link = jars.resolve(source.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, source);
      }
    }
    this.port = freePort();
    this.masterLog = dir.resolve("master.log");
    this.workerLog = dir.resolve("worker.log");
  }

  static String sparkClasspath() {
    try (InputStream in = StandaloneCluster.class.getResourceAsStream("/logwait/spark.classpath")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("logwait/spark.classpath is missing: build spark-dist", e);
    }
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  void start() throws IOException {
    processes.add(
        launch(
            masterLog,
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--webui-port",
            String.valueOf(freePort())));
    processes.add(
        launch(
            workerLog,
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "127.0.0.1",
            "--cores",
            "2",
            "--memory",
            "3g",
            "--webui-port",
            String.valueOf(freePort()),
            masterUrl()));
  }

  boolean workerRegistered() throws IOException {
    return Files.exists(workerLog)
        && Files.readString(workerLog).contains("Successfully registered with master");
  }

  /** A process with the environment a Spark JVM on this cluster needs. */
  ProcessBuilder sparkProcess(List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb;
  }

  List<String> java(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of(System.getProperty("logwait.spark-jvm-flags").split(" ")));
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.addAll(List.of(args));
    return cmd;
  }

  private Process launch(Path log, String mainClass, String... args) throws IOException {
    List<String> cmd = java("-Xmx512m", mainClass);
    cmd.addAll(List.of(args));
    return sparkProcess(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroy();
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
