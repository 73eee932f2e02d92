package dev.logwait.it;

import dev.logwait.testkit.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/** One real broker and one local[2] Spark session per test JVM, shared by every scenario. */
final class SharedEnv {
  private static KafkaBroker broker;
  private static SparkSession spark;
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

  static synchronized SparkSession spark() {
    if (spark == null) {
      spark =
          SparkSession.builder()
              .master("local[2]")
              .appName("logwait-it")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config(
                  "spark.sql.extensions",
                  "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
              .config("spark.sql.shuffle.partitions", "2")
              .getOrCreate();
    }
    return spark;
  }
}
