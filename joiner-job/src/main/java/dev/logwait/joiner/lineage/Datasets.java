package dev.logwait.joiner.lineage;

import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * How logwait names datasets in lineage: a Kafka topic in {@code kafka://<first bootstrap server>};
 * an Iceberg table as {@code <namespace>.<table>} in the catalog's warehouse location ({@code
 * file:///…}, {@code s3://…}), its {@code uri}, or {@code iceberg://<catalog>}; a model as {@code
 * model:<version>} in {@code lineage.namespace}.
 */
final class Datasets {
  private Datasets() {}

  static String kafka(JoinerConfig config) {
    String first = config.get(ConfigKey.BOOTSTRAP_SERVERS).split(",")[0].trim();
    return "kafka://" + first.replaceFirst("^[A-Za-z_]+://", "");
  }

  static String iceberg(JoinerConfig config) {
    Map<String, String> p = config.withPrefix(ConfigKey.CATALOG_PROPERTIES);
    String warehouse = p.get("warehouse");
    if (warehouse != null && !warehouse.isBlank()) {
      return warehouse.contains("://")
          ? warehouse
          : Path.of(warehouse).toAbsolutePath().normalize().toUri().toString();
    }
    String uri = p.get("uri");
    return uri != null && !uri.isBlank() ? uri : "iceberg://" + config.get(ConfigKey.CATALOG_NAME);
  }

  static String table(JoinerConfig config, String table) {
    return config.get(ConfigKey.NAMESPACE) + "." + table;
  }

  static String model(String version) {
    return "model:" + version;
  }
}
