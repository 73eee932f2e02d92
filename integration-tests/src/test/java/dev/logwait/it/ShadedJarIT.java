package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The build's duplicate-class gate for the shaded jar: no class it carries is also on Spark's own
 * classpath (the jars a cluster puts before it), where one of the two copies would silently win.
 */
class ShadedJarIT {
  /**
   * Classes both carry on purpose: Spark's connector jars each ship the same empty marker class
   * (spark-avro, spark-sql-kafka, the token provider and Spark's own jars).
   */
  static final Set<String> SHARED = Set.of("org/apache/spark/unused/UnusedStubClass.class");

  @Test
  void theShadedJarCarriesNoClassThatSparkAlreadyHas() throws IOException {
    Set<String> shaded = classes(Path.of(System.getProperty("logwait.shaded-jar")));
    assertThat(shaded).as("classes in the shaded jar").hasSizeGreaterThan(10_000);
    Set<String> spark = new TreeSet<>();
    for (String jar : StandaloneCluster.sparkClasspath().split(java.io.File.pathSeparator)) {
      if (jar.endsWith(".jar")) {
        spark.addAll(classes(Path.of(jar)));
      }
    }
    List<String> both = new ArrayList<>(shaded);
    both.retainAll(spark);
    both.removeAll(SHARED);
    Collections.sort(both);
    assertThat(both).as("classes in both the shaded jar and Spark's jars").isEmpty();
  }

  private static Set<String> classes(Path jar) throws IOException {
    try (JarFile f = new JarFile(jar.toFile())) {
      return f.stream()
          .map(e -> e.getName())
          .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
