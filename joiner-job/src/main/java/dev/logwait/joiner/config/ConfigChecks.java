package dev.logwait.joiner.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The checks of a configuration that look across keys or into pass-through properties: generated
 * column names that collide, catalog properties a catalog type does not know, Kafka properties the
 * consumer does not know, and which values are secrets.
 */
final class ConfigChecks {
  private ConfigChecks() {}

  /** Catalog types Iceberg's {@code SparkCatalog} accepts by name. */
  static final Set<String> CATALOG_TYPES =
      Set.of("hadoop", "hive", "rest", "jdbc", "glue", "nessie");

  /** Properties every Iceberg catalog (and Spark's catalog wrapper) reads. */
  private static final Set<String> CATALOG_KEYS =
      Set.of(
          "type",
          "catalog-impl",
          "warehouse",
          "uri",
          "io-impl",
          "cache-enabled",
          "cache.expiration-interval-ms",
          "cache.case-sensitive",
          "default-namespace",
          "table-default",
          "table-override",
          "metrics-reporter-impl",
          "lock-impl",
          "lock.table",
          "lock.acquire-timeout-ms",
          "lock.acquire-interval-ms",
          "lock.heartbeat-interval-ms",
          "lock.heartbeat-timeout-ms",
          "client.pool.size",
          "client.pool.cache.eviction-interval-ms",
          "clients",
          "credential",
          "token",
          "scope",
          "oauth2-server-uri",
          "prefix",
          "view-endpoints-supported",
          "encryption.kms-impl",
          "encryption.kms-type",
          "vectorization-enabled",
          "hadoop.config-dir",
          "gc.enabled",
          "auth.type",
          "ref");

  /** Prefixes of properties that catalogs, FileIOs and clients read (S3, GCS, Azure, JDBC, …). */
  private static final List<String> CATALOG_PREFIXES =
      List.of(
          "s3.",
          "gcs.",
          "adls.",
          "oss.",
          "client.",
          "http-client.",
          "rest.",
          "rest-metrics-",
          "header.",
          "jdbc.",
          "glue.",
          "lakeformation.",
          "dynamodb.",
          "hive.",
          "nessie.",
          "table-default.",
          "table-override.",
          "hadoop.",
          "io.",
          "aws.",
          "azure.",
          "auth.",
          "snowflake.",
          "view-",
          "cache.",
          "emr.",
          "credentials.",
          "metrics-reporter.");

  /**
   * Checks {@code catalog.properties.*}: a known type needs its essentials (a Hadoop catalog its
   * warehouse), and a key that is one typo away from a known key is refused ("did you mean"), so
   * that a misspelt warehouse never sends the data to a default location. Other unknown keys are
   * warnings.
   */
  static void catalog(Map<String, String> properties, List<String> errors, List<String> warnings) {
    String prefix = ConfigKey.CATALOG_PROPERTIES;
    String type = properties.get("type");
    if (type == null && !properties.containsKey("catalog-impl")) {
      errors.add(
          prefix
              + "type: must be set (one of "
              + new TreeSet<>(CATALOG_TYPES)
              + ") unless "
              + prefix
              + "catalog-impl names a catalog class");
      return;
    }
    if (type != null && !CATALOG_TYPES.contains(type.toLowerCase(Locale.ROOT))) {
      errors.add(
          prefix
              + "type: '"
              + type
              + "' is not one of "
              + new TreeSet<>(CATALOG_TYPES)
              + "; use "
              + prefix
              + "catalog-impl for another catalog class");
    }
    if ("hadoop".equalsIgnoreCase(type) && blank(properties.get("warehouse"))) {
      errors.add(prefix + "warehouse: a Hadoop catalog needs a warehouse location");
    }
    if (("jdbc".equalsIgnoreCase(type) || "rest".equalsIgnoreCase(type))
        && blank(properties.get("uri"))) {
      errors.add(prefix + "uri: a " + type + " catalog needs a uri");
    }
    if ("jdbc".equalsIgnoreCase(type) && blank(properties.get("jdbc.schema-version"))) {
      // Spark 4.1 looks views up in every catalog while it resolves a query; a JDBC catalog whose
      // schema has no view support answers with an exception, and the joiner's first query fails.
      errors.add(
          prefix
              + "jdbc.schema-version: set it to V1 for a JDBC catalog (Iceberg then adds view"
              + " support to its catalog tables, which Spark 4.1 needs to resolve any query)");
    }
    for (String key : properties.keySet()) {
      if (CATALOG_KEYS.contains(key) || CATALOG_PREFIXES.stream().anyMatch(key::startsWith)) {
        continue;
      }
      String near = nearest(key, CATALOG_KEYS);
      if (near != null) {
        errors.add(
            prefix + key + ": unknown catalog property; did you mean '" + prefix + near + "'?");
      } else {
        warnings.add(
            prefix
                + key
                + ": not a property logwait knows for Iceberg catalogs; passed on"
                + " as spark.sql.catalog.<name>."
                + key);
      }
    }
  }

  /** Warns of {@code kafka.properties.*} keys that Kafka's consumer does not define. */
  static void kafka(Map<String, String> properties, List<String> warnings) {
    Set<String> known = ConsumerConfig.configNames();
    for (String key : properties.keySet()) {
      if (!known.contains(key)) {
        String near = nearest(key, known);
        warnings.add(
            ConfigKey.KAFKA_PROPERTIES
                + key
                + ": not a Kafka consumer property"
                + (near == null
                    ? ""
                    : "; did you mean '" + ConfigKey.KAFKA_PROPERTIES + near + "'?")
                + " (passed on as it is)");
      }
    }
  }

  /**
   * Refuses label specs whose generated columns collide ({@code click}'s {@code _at} and {@code
   * click_at}).
   */
  static void labelColumns(List<LabelSpec> specs, List<String> errors) {
    Map<String, String> owner = new HashMap<>();
    for (LabelSpec s : specs) {
      for (String c : s.columns()) {
        String was = owner.putIfAbsent(c, s.name());
        if (was != null && !was.equals(s.name())) {
          errors.add(
              "labels: '"
                  + was
                  + "' and '"
                  + s.name()
                  + "' both generate column '"
                  + c
                  + "'; rename one of them");
        }
      }
    }
  }

  private static final Pattern SECRET =
      Pattern.compile("password|secret|jaas|token|credential|access-key|account-key");

  /**
   * True for values that must not be hashed or printed: Kafka's {@code PASSWORD}-typed consumer
   * settings and any key naming a password, secret, JAAS config, token or credential.
   */
  static boolean isSecret(String key) {
    if (key.startsWith(ConfigKey.KAFKA_PROPERTIES)) {
      ConfigDef.ConfigKey def =
          ConsumerConfig.configDef()
              .configKeys()
              .get(key.substring(ConfigKey.KAFKA_PROPERTIES.length()));
      if (def != null && def.type == ConfigDef.Type.PASSWORD) {
        return true;
      }
    }
    return SECRET.matcher(key.toLowerCase(Locale.ROOT)).find();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static final LevenshteinDistance WITHIN_TWO = new LevenshteinDistance(2);

  /** The known key within two edits of {@code key}, or null. */
  static String nearest(String key, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = WITHIN_TWO.apply(key, k); // -1 when more than two edits apart
      if (d >= 0 && d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }
}
