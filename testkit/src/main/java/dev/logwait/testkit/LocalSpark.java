package dev.logwait.testkit;

import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session per test JVM, shared by every test class in it (a session takes seconds
 * to start): {@code local[2]}, UTC, no UI, two shuffle partitions, Iceberg's SQL extensions. Tests
 * configure their own catalogs on it ({@code spark.conf().set(...)}: catalogs load lazily by name)
 * and never stop it; the JVM's exit does. Needs Spark on the test classpath (this module has it
 * {@code provided}).
 */
public final class LocalSpark {
  private static SparkSession session;

  private LocalSpark() {}

  /** The shared session, started on first use. Thread-safe. */
  public static synchronized SparkSession shared() {
    if (session == null || session.sparkContext().isStopped()) {
      session =
          SparkSession.builder()
              .master("local[2]")
              .appName("logwait-tests")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.sql.session.timeZone", "UTC")
              .config(
                  "spark.sql.extensions",
                  "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
              .getOrCreate();
    }
    return session;
  }
}
