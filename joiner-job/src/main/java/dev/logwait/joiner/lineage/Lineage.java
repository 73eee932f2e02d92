package dev.logwait.joiner.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * Where OpenLineage events go ({@code lineage.url}): nowhere, appended to a file one event a line,
 * or POSTed to an HTTP endpoint. A delivery that fails is printed as a warning and dropped: lineage
 * must never fail a run or a commit that succeeded.
 */
public final class Lineage {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final String url;
  private final String namespace;
  private final PrintStream warnings;

  private Lineage(String url, String namespace, PrintStream warnings) {
    this.url = url;
    this.namespace = namespace;
    this.warnings = warnings;
  }

  /** The configuration's destination; warnings go to standard error. */
  public static Lineage of(JoinerConfig config) {
    return new Lineage(
        config.get(ConfigKey.LINEAGE_URL), config.get(ConfigKey.LINEAGE_NAMESPACE), System.err);
  }

  /** Whether events are sent at all: when not, callers skip gathering them. */
  public boolean enabled() {
    return !url.equals("off");
  }

  /** The namespace of logwait's jobs and models. */
  public String namespace() {
    return namespace;
  }

  /** Sends one event; a failure is printed, not thrown. */
  public void emit(ObjectNode event) {
    if (!enabled()) {
      return;
    }
    try {
      String body = JSON.writeValueAsString(event);
      if (url.startsWith("file:")) {
        append(Path.of(url.substring("file:".length()).replaceFirst("^//", "")), body);
      } else {
        post(body);
      }
    } catch (IOException | RuntimeException e) {
      warnings.println(
          "[logwait] warning: OpenLineage event not delivered to " + url + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      warnings.println("[logwait] warning: OpenLineage event not delivered (interrupted)");
    }
  }

  private static synchronized void append(Path file, String body) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    Files.writeString(
        file,
        body + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private void post(String body) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .build()
            .send(
                HttpRequest.newBuilder(URI.create(url))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IOException(
          "HTTP " + r.statusCode() + (r.body().isBlank() ? "" : ": " + r.body().strip()));
    }
  }
}
