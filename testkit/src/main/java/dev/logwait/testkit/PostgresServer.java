package dev.logwait.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * A real PostgreSQL server for tests, with trust authentication for user {@code logwait}: a
 * Testcontainers {@code PostgreSQLContainer} where a Docker engine answers (and {@code
 * logwait.postgres.mode} is not {@code process}), otherwise a server from Debian's {@code
 * postgresql} package (which {@code .ci/run} installs): a fresh cluster ({@code initdb}) in a
 * temporary directory, started with {@code pg_ctl} on a free loopback port, stopped (immediately)
 * on {@link #close}. As root, that server runs as the package's {@code postgres} user, since
 * PostgreSQL refuses to run as root. Missing binaries are an error, never a skip.
 */
public final class PostgresServer implements AutoCloseable {
  /** The database user the tests connect as. */
  public static final String USER = "logwait";

  /** Image used where Docker answers; the major version Debian's package has here. */
  public static final String IMAGE = "postgres:15";

  private final Path dir;
  private final Path bin;
  private final int port;
  private final boolean asPostgresUser;
  private final PostgreSQLContainer<?> container;

  private PostgresServer(Path dir, Path bin, int port, boolean asPostgresUser) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
    this.container = null;
  }

  private PostgresServer(PostgreSQLContainer<?> container) {
    this.dir = null;
    this.bin = null;
    this.port = container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
    this.asPostgresUser = false;
    this.container = container;
  }

  /**
   * Starts a server: a container where Docker answers, else a cluster in a new temporary directory
   * (directly under the system's temporary directory, so that the {@code postgres} user can reach
   * it).
   */
  public static PostgresServer start() {
    if (KafkaBroker.dockerAnswers("logwait.postgres.mode")) {
      PostgreSQLContainer<?> c =
          new PostgreSQLContainer<>(IMAGE)
              .withUsername(USER)
              .withDatabaseName("postgres")
              .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust");
      c.start();
      return new PostgresServer(c);
    }
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      Path workDir = Files.createTempDirectory("logwait-pg");
      PostgresServer pg = new PostgresServer(workDir, bin, freePort(), root);
      if (root) {
        pg.run(List.of("chown", "-R", "postgres:postgres", workDir.toString()), false);
      }
      pg.run(
          List.of(
              bin.resolve("initdb").toString(),
              "-D",
              workDir.resolve("data").toString(),
              "-U",
              USER,
              "-A",
              "trust",
              "-E",
              "UTF8",
              "--no-sync"),
          true);
      pg.run(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              workDir.resolve("data").toString(),
              "-l",
              workDir.resolve("server.log").toString(),
              "-o",
              "-p " + pg.port + " -h 127.0.0.1 -k " + workDir + " -c fsync=off",
              "-w",
              "-t",
              "60",
              "start"),
          true);
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code jdbc:postgresql://<host>:<port>/postgres}. */
  public String jdbcUrl() {
    String host = container != null ? container.getHost() : "127.0.0.1";
    return "jdbc:postgresql://" + host + ":" + port + "/postgres";
  }

  /** Which kind of server this is: "testcontainers" or "process". */
  public String mode() {
    return container != null ? "testcontainers" : "process";
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    if (container != null) {
      container.stop();
      return;
    }
    try {
      run(
          List.of(
              bin.resolve("pg_ctl").toString(),
              "-D",
              dir.resolve("data").toString(),
              "-m",
              "immediate",
              "-w",
              "stop"),
          true);
    } catch (RuntimeException e) {
      // already stopped
    }
  }

  /** The server's binaries: {@code LOGWAIT_PG_BIN}, Debian's layout, or the PATH. */
  static Path binaries() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("LOGWAIT_PG_BIN");
    if (env != null) {
      candidates.add(Path.of(env));
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        versions
            .sorted(java.util.Comparator.reverseOrder())
            .forEach(v -> candidates.add(v.resolve("bin")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!p.isEmpty()) {
        candidates.add(Path.of(p));
      }
    }
    for (Path c : candidates) {
      if (Files.isExecutable(c.resolve("initdb")) && Files.isExecutable(c.resolve("pg_ctl"))) {
        return c;
      }
    }
    throw new IllegalStateException(
        "No PostgreSQL server binaries (initdb, pg_ctl) found in "
            + candidates
            + ". Install Debian's postgresql package (.ci/run does), or set LOGWAIT_PG_BIN.");
  }

  private void run(List<String> command, boolean asServerUser) {
    List<String> cmd = new ArrayList<>();
    if (asServerUser && asPostgresUser) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    try {
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(dir.resolve("commands.log").toFile()))
              .directory(dir.toFile())
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "PostgreSQL command failed ("
                + p.exitValue()
                + "): "
                + cmd
                + "\n"
                + Files.readString(dir.resolve("commands.log"))
                + (Files.exists(dir.resolve("server.log"))
                    ? Files.readString(dir.resolve("server.log"))
                    : ""));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
