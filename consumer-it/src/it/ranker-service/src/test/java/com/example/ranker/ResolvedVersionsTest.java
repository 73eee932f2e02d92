package com.example.ranker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What this build resolved, with logwait-bom imported: the versions logwait's own build pins (its
 * parent's properties, passed in by the invoker), and neither JUnit 4 nor Hamcrest.
 */
class ResolvedVersionsTest {
  private final List<String> jars =
      Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
          .map(p -> new File(p).getName())
          .toList();

  @Test
  void theBomGivesTheVersionsLogwaitWasTestedWith() {
    assertThat(jars)
        .contains(
            "kafka-clients-" + System.getProperty("expected.kafka.version") + ".jar",
            "avro-" + System.getProperty("expected.avro.version") + ".jar",
            "snappy-java-" + System.getProperty("expected.snappy.version") + ".jar",
            "jctools-core-" + System.getProperty("expected.jctools.version") + ".jar",
            "micrometer-core-" + System.getProperty("expected.micrometer.version") + ".jar",
            "slf4j-api-" + System.getProperty("expected.slf4j.version") + ".jar");
    assertThat(jars.stream().filter(j -> j.startsWith("snappy-java-"))).hasSize(1);
  }

  @Test
  void logwaitTestingBringsNeitherJUnit4NorHamcrest() {
    assertThat(jars).noneMatch(j -> j.startsWith("junit-4") || j.startsWith("hamcrest"));
    assertThat(jars).contains("junit-jupiter-api-5.10.3.jar");
  }
}
