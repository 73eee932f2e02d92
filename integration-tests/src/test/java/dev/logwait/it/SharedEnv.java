package dev.logwait.it;

import dev.logwait.testkit.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** One real broker and one local Spark session per test JVM, shared by every scenario. */
final class SharedEnv {
  private static KafkaBroker broker;
  private static Path root;

  private SharedEnv() {}

  static synchronized Path root() {
    if (root == null) {
      try {
        root = Files.createTempDirectory("logwait-it");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  static synchronized KafkaBroker broker() {
    if (broker == null) {
      broker = KafkaBroker.start(root().resolve("kafka"));
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close));
    }
    return broker;
  }

  static SparkSession spark() {
    return dev.logwait.testkit.LocalSpark.shared();
  }
}
