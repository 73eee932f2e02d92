package dev.logwait.joiner.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md holds the reference the keys' declarations print, as it is now. */
class ConfigReferenceTest {
  @Test
  void theDocumentedReferenceIsTheGeneratedOne() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (!Files.exists(root.resolve(".ci/run"))) {
      root = root.getParent();
    }
    String doc = Files.readString(root.resolve("docs/configuration.md"));
    assertThat(doc)
        .as("docs/configuration.md: paste the output of `scripts/joiner config-reference`")
        .contains(ConfigKey.reference());
  }
}
