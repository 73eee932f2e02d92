package dev.logwait.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The joiner's CLI in a child JVM (this JVM's classpath), which a test may SIGKILL. */
final class JoinerProcess {
  final Process process;
  final Path log;

  private JoinerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * @param pauseAt a crash point where the child stops and waits to be killed, or null
   */
  static JoinerProcess start(Scenario s, String pauseAt, String... args) {
    return start(s, pauseAt, List.of(), args);
  }

  /** As a person runs it: with the logging that {@code scripts/joiner} configures. */
  static JoinerProcess startAsScript(Scenario s, String... args) {
    Path config = Path.of("..", "scripts", "log4j2-joiner.properties").toAbsolutePath().normalize();
    return start(s, null, List.of("-Dlog4j2.configurationFile=" + config), args);
  }

  private static JoinerProcess start(
      Scenario s, String pauseAt, List<String> jvmFlags, String... args) {
    try {
      Path markers = Files.createDirectories(s.dir.resolve("markers"));
      Path log = Files.createTempFile(s.dir, "joiner-", ".log");
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(Arrays.asList(System.getProperty("logwait.spark-jvm-flags").split(" ")));
      cmd.add("-Xmx1500m");
      cmd.addAll(jvmFlags);
      cmd.add("-Dlogwait.test.marker-dir=" + markers);
      if (pauseAt != null) {
        cmd.add("-Dlogwait.test.pause-at=" + pauseAt);
      }
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add("dev.logwait.joiner.cli.JoinerMain");
      cmd.addAll(Arrays.asList(args));
      cmd.add("--config");
      cmd.add(s.configFile.toString());
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .directory(s.dir.toFile())
              .start();
      return new JoinerProcess(p, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the exit code. */
  int await(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("joiner did not finish within " + timeout + ":\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** SIGKILL: no shutdown hooks, no cleanup, as when a node dies. */
  void kill() {
    process.destroyForcibly(); // SIGKILL on Linux
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no output: " + e + ")";
    }
  }
}
