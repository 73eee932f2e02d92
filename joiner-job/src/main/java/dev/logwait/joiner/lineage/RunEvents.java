package dev.logwait.joiner.lineage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;

/**
 * OpenLineage run events (spec 2-0-2) and the facets logwait fills: the standard dataset version,
 * output statistics and error message facets, and logwait's own facets ({@code logwait_*}, each
 * with a {@code _producer} and a {@code _schemaURL} as the spec asks of custom facets).
 */
final class RunEvents {
  static final String PRODUCER = "urn:logwait:joiner:0.1.0";
  static final String SCHEMA_URL =
      "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
  static final String VERSION_FACET =
      "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json#/$defs/DatasetVersionDatasetFacet";
  static final String STATISTICS_FACET =
      "https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet";
  static final String ERROR_FACET =
      "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet";

  private RunEvents() {}

  /** A run event without inputs and outputs (the caller adds them). */
  static ObjectNode event(
      String type, Instant at, String runId, String jobNamespace, String jobName) {
    ObjectNode e = Lineage.JSON.createObjectNode();
    e.put("eventType", type);
    e.put("eventTime", at.toString());
    e.putObject("run").put("runId", runId).putObject("facets");
    e.putObject("job").put("namespace", jobNamespace).put("name", jobName);
    e.putArray("inputs");
    e.putArray("outputs");
    e.put("producer", PRODUCER);
    e.put("schemaURL", SCHEMA_URL);
    return e;
  }

  static ObjectNode dataset(ArrayNode into, String namespace, String name) {
    ObjectNode d = into.addObject();
    d.put("namespace", namespace).put("name", name);
    d.putObject("facets");
    return d;
  }

  /** The standard dataset version facet. */
  static void version(ObjectNode dataset, String version) {
    facet((ObjectNode) dataset.get("facets"), "version", VERSION_FACET)
        .put("datasetVersion", version);
  }

  /** The standard output statistics facet. */
  static void rowCount(ObjectNode dataset, long rows) {
    ObjectNode facets =
        dataset.has("outputFacets")
            ? (ObjectNode) dataset.get("outputFacets")
            : dataset.putObject("outputFacets");
    facet(facets, "outputStatistics", STATISTICS_FACET).put("rowCount", rows);
  }

  /** The standard error message facet of a failed run. */
  static void error(ObjectNode event, String message) {
    facet((ObjectNode) event.get("run").get("facets"), "errorMessage", ERROR_FACET)
        .put("message", message)
        .put("programmingLanguage", "JAVA");
  }

  /** One of logwait's own facets: {@code logwait_<name>}. */
  static ObjectNode custom(ObjectNode facets, String name) {
    return facet(facets, "logwait_" + name, "urn:logwait:facets:" + name + ":1-0-0");
  }

  static ObjectNode facet(ObjectNode facets, String key, String schemaUrl) {
    ObjectNode f = facets.putObject(key);
    f.put("_producer", PRODUCER).put("_schemaURL", schemaUrl);
    return f;
  }

  static void putAll(ObjectNode into, Map<String, ?> values) {
    values.forEach((k, v) -> into.set(k, Lineage.JSON.valueToTree(v)));
  }
}
