package dev.logwait.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The jars of the Docker-free broker process, wherever this fixture runs: in this repository's
 * build, or in the CI of a service that depends on {@code logwait-testing}.
 *
 * <p>The {@code logwait-kafka-broker} module lists Kafka's server jars as paths relative to a Maven
 * local repository ({@code @M2@/org/apache/kafka/...}). They are found in the local repository
 * ({@code logwait.maven.local}, else {@code maven.repo.local}, else {@code ~/.m2/repository}), and
 * the missing ones are fetched once from a remote repository ({@code logwait.maven.remote}, else
 * Maven Central), checked against the remote's SHA-1 and moved into place atomically: a service's
 * build never resolved them, since it depends on the module without its dependencies (they would
 * meet its own Kafka client and Scala).
 */
final class BrokerJars {
  static final String PREFIX = "@M2@/";
  static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
  private static final Logger LOG = LoggerFactory.getLogger(BrokerJars.class);

  private final Path localRepo;
  private final URI remote;

  BrokerJars(Path localRepo, URI remote) {
    this.localRepo = localRepo;
    this.remote = remote;
  }

  /** The repositories named by system properties, or the defaults. */
  static BrokerJars fromSystem() {
    String local =
        System.getProperty("logwait.maven.local", System.getProperty("maven.repo.local"));
    Path repo =
        local != null && !local.isBlank()
            ? Path.of(local)
            : Path.of(System.getProperty("user.home"), ".m2", "repository");
    String remote = System.getProperty("logwait.maven.remote", CENTRAL);
    return new BrokerJars(repo, URI.create(remote.endsWith("/") ? remote : remote + "/"));
  }

  Path localRepo() {
    return localRepo;
  }

  /** Local paths of every entry of a classpath file, fetching the missing ones. */
  List<Path> resolve(String classpathFile) {
    List<Path> jars = new ArrayList<>();
    for (String entry : classpathFile.trim().split(java.io.File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      if (!entry.startsWith(PREFIX)) {
        jars.add(Path.of(entry)); // an absolute path, as older builds wrote
        continue;
      }
      String relative = entry.substring(PREFIX.length());
      Path jar = localRepo.resolve(relative);
      if (!Files.isRegularFile(jar)) {
        fetch(relative, jar);
      }
      jars.add(jar);
    }
    return jars;
  }

  private void fetch(String relative, Path target) {
    URI source = remote.resolve(relative);
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
      try {
        LOG.info("Fetching the Kafka broker's {} from {}", target.getFileName(), remote);
        String actual;
        try (InputStream in = source.toURL().openStream()) {
          MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
          Files.copy(
              new java.security.DigestInputStream(in, sha1),
              tmp,
              StandardCopyOption.REPLACE_EXISTING);
          actual = HexFormat.of().formatHex(sha1.digest());
        }
        String expected;
        try (InputStream in = URI.create(source + ".sha1").toURL().openStream()) {
          // a .sha1 file holds the hex digest, sometimes followed by the file's name
          expected =
              new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+")[0];
        }
        if (!expected.equalsIgnoreCase(actual)) {
          throw new IllegalStateException(
              "The Kafka broker's jar "
                  + source
                  + " has SHA-1 "
                  + actual
                  + ", its .sha1 says "
                  + expected
                  + "; nothing was installed in "
                  + localRepo);
        }
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot fetch the Kafka broker's jar "
              + source
              + " into "
              + localRepo
              + " (set logwait.maven.remote to a reachable Maven repository, or use Docker)",
          e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
