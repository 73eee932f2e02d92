package dev.logwait.joiner.cli;

import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.table.Tables;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** A validated config and the Spark session it configures. */
public final class JobContext implements AutoCloseable {
  final JoinerConfig config;
  final SparkSession spark;
  final Tables tables;
  private final boolean ownSession;

  private JobContext(JoinerConfig config, SparkSession spark, boolean own) {
    this.config = config;
    this.spark = spark;
    this.tables = new Tables(spark, config);
    this.ownSession = own;
  }

  /** Starts (or reuses) a session configured for the catalog. Call after validating. */
  static JobContext start(JoinerConfig config) {
    SparkSession.Builder b = SparkSession.builder().appName("logwait-joiner");
    if (System.getProperty("spark.master") == null) {
      b.master(config.get(ConfigKey.SPARK_MASTER));
      b.config("spark.ui.enabled", "false");
      b.config("spark.driver.host", "127.0.0.1");
    }
    b.config(
        "spark.sql.extensions",
        "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    // spark-submit --conf wins over the configuration: it is how a cluster's catalog is usually
    // set up. A catalog whose type (or class) comes from spark-submit takes none of the
    // configuration's catalog properties, so no embedded default (a local warehouse) leaks in.
    String catalog = "spark.sql.catalog." + config.get(ConfigKey.CATALOG_NAME) + ".";
    boolean submittedCatalog =
        System.getProperty(catalog + "type") != null
            || System.getProperty(catalog + "catalog-impl") != null;
    if (submittedCatalog) {
      System.err.println(
          "[logwait] note: catalog "
              + config.get(ConfigKey.CATALOG_NAME)
              + " is configured by spark-submit; catalog.properties.* are not applied");
    }
    sessionConf(config)
        .forEach(
            (k, v) -> {
              String submitted = System.getProperty(k);
              if (submitted != null || (submittedCatalog && k.startsWith(catalog))) {
                if (submitted != null && !submitted.equals(v)) {
                  System.err.println(
                      "[logwait] note: " + k + " is set by spark-submit; not overridden");
                }
              } else {
                b.config(k, v);
              }
            });
    boolean own = SparkSession.getActiveSession().isEmpty();
    return new JobContext(config, b.getOrCreate(), own);
  }

  /** The catalog and Iceberg settings that every session of the joiner needs. */
  public static void configure(SparkSession.Builder b, JoinerConfig config) {
    b.config(
        "spark.sql.extensions",
        "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    sessionConf(config).forEach(b::config);
  }

  /**
   * The catalog and session settings of a config, which may also be set on a running session
   * (catalogs load lazily by name): tests use one session for several catalogs.
   */
  public static Map<String, String> sessionConf(JoinerConfig config) {
    Map<String, String> conf = new java.util.LinkedHashMap<>();
    String catalog = "spark.sql.catalog." + config.get(ConfigKey.CATALOG_NAME);
    conf.put(catalog, "org.apache.iceberg.spark.SparkCatalog");
    for (Map.Entry<String, String> e : config.withPrefix(ConfigKey.CATALOG_PROPERTIES).entrySet()) {
      String value = e.getValue();
      if (e.getKey().equals("warehouse") && !value.contains("://")) {
        value = Path.of(value).toAbsolutePath().normalize().toString();
      }
      conf.put(catalog + "." + e.getKey(), value);
    }
    conf.put("spark.sql.shuffle.partitions", config.get(ConfigKey.SHUFFLE_PARTITIONS));
    conf.put("spark.sql.session.timeZone", "UTC");
    // The decoded batch is cached once per run and read a few times; feature values rarely
    // compress, so compressing the cache costs CPU and saves little (measured: BENCHMARKS.md).
    conf.put("spark.sql.inMemoryColumnarStorage.compressed", "false");
    // Kafka through Spark's DataSource V2 reader: the V1 relation (Spark's default for batch
    // reads) turns every record into an external Row and back, copying each message's bytes
    // twice (measured: BENCHMARKS.md). The other built-in sources keep Spark's default.
    conf.put("spark.sql.sources.useV1SourceList", "avro,csv,json,orc,parquet,text");
    // Adaptive execution off: a run is a dozen short queries over one cached batch, and
    // re-planning each of their stages as a job of its own cost a quarter of the run's CPU
    // (JIT included) for nothing (measured: BENCHMARKS.md, "Adaptive execution"). spark.conf.* in
    // the configuration, or spark-submit --conf, turns it back on.
    conf.put("spark.sql.adaptive.enabled", "false");
    // A take (limit + collect: the small sets a run collects, e.g. duplicates to drop) scans every
    // partition in its first job instead of one, then four, then sixteen, … in a job each.
    conf.put("spark.sql.limit.initialNumPartitions", "1000000");
    conf.putAll(config.withPrefix(ConfigKey.SPARK_CONF));
    return conf;
  }

  @Override
  public void close() {
    if (ownSession && !"true".equals(System.getProperty("logwait.keep-session"))) {
      spark.stop();
    }
  }
}
