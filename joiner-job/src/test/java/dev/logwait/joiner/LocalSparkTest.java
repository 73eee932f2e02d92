package dev.logwait.joiner;

import dev.logwait.testkit.LocalSpark;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;

/** Unit tests of Dataset logic on the test JVM's shared local session ({@link LocalSpark}). */
public abstract class LocalSparkTest {
  protected static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark = LocalSpark.shared();
  }
}
