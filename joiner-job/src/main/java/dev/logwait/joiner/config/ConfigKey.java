package dev.logwait.joiner.config;

import java.util.List;

/**
 * Every configuration key, declared once with its default and what it means. The reference in
 * docs/configuration.md is printed from here ({@code joiner config-reference}; {@code
 * ConfigReferenceTest} keeps the two equal).
 */
public enum ConfigKey {
  BOOTSTRAP_SERVERS("kafka.bootstrap-servers", "127.0.0.1:9092", "Kafka bootstrap servers."),
  PREDICTIONS_TOPIC(
      "kafka.predictions-topic", "logwait-predictions", "Topic of logged predictions."),
  LABELS_TOPIC("kafka.labels-topic", "logwait-labels", "Topic of label events."),
  SCHEMAS_TOPIC("kafka.schemas-topic", "logwait-schemas", "Compacted topic of writer schemas."),
  POSTERIORS_TOPIC(
      "kafka.posteriors-topic",
      "logwait-posteriors",
      "Compacted topic the joiner publishes the `routers`' per-arm reward statistics to, one"
          + " message per router and run keyed by the router's name (created compacted when"
          + " missing). Unused without routers."),
  CATALOG_NAME("catalog.name", "logwait", "Spark catalog name the tables live in."),
  NAMESPACE("namespace", "logwait", "Iceberg namespace (database) of the tables."),
  ALLOWED_LATENESS(
      "allowed-lateness",
      "1m",
      "Subtracted from the label watermark: how late a label event may arrive and still count."),
  MAX_EVENT_TIME_SKEW(
      "max-event-time-skew",
      "5m",
      "How far an event time (`served_at`, `occurred_at`) may lie past its Kafka record's"
          + " timestamp (and the joiner's clock). Later ones are quarantined as"
          + " EVENT_TIME_OUT_OF_RANGE: one producer with a bad clock must not close every label"
          + " window at once. Covers producer clock drift and Kafka's batching delay."),
  MIN_EVENT_TIME(
      "min-event-time",
      "2000-01-01T00:00:00Z",
      "Earliest plausible event time (ISO-8601 instant). Earlier ones (an unset clock, 0, a"
          + " negative value) are quarantined as EVENT_TIME_OUT_OF_RANGE instead of being"
          + " finalized into a 1970 partition."),
  LABEL_PARTITIONS_IDLE_AFTER(
      "label-partitions-idle-after",
      "off",
      "A labels partition whose newest record (by Kafka timestamp) is older than this, or that"
          + " never carried one, stops holding the label watermark (`off`: a silent partition holds"
          + " every window open, so no false negative is ever written). Set it when some partitions"
          + " legitimately stay quiet; `status` and `runs` name the partitions treated as idle."),
  RESTATE_LATE_LABELS(
      "restate-late-labels",
      "false",
      "true: late events of every label spec rewrite the training rows they touch (MERGE, with"
          + " `revision` + 1 and `restated_at`), as `restate: true` does for one spec; the run"
          + " flag `--restate` sets it for one run. false: late events are only counted"
          + " (`late_labels`)."),
  DISCARD_AFTER(
      "discard-after",
      "off",
      "Discard policy: `maintain` (and `stream --maintain-every`) first deletes, from every"
          + " training table with a trainer cursor, the rows served longer ago than this that every"
          + " trainer has read, with their raw predictions, as `discard --older-than` does (`off`:"
          + " only the `discard` command deletes). Tables no trainer reads are left alone."),
  SPARK_MASTER("spark.master", "local[*]", "Spark master when not set by spark-submit."),
  SHUFFLE_PARTITIONS(
      "spark.shuffle-partitions", "8", "spark.sql.shuffle.partitions for the job's joins.");

  /** Prefix of pass-through Kafka consumer properties (SASL, SSL, …). */
  public static final String KAFKA_PROPERTIES = "kafka.properties.";

  /** Prefix of pass-through catalog properties: {@code spark.sql.catalog.<name>.<key>}. */
  public static final String CATALOG_PROPERTIES = "catalog.properties.";

  /** Prefix of pass-through Spark properties for the session. */
  public static final String SPARK_CONF = "spark.conf.";

  /** Prefixes whose keys are passed through as they are. */
  public static final List<String> PASS_THROUGH =
      List.of(KAFKA_PROPERTIES, CATALOG_PROPERTIES, SPARK_CONF);

  public final String key;
  public final String defaultValue;
  public final String doc;

  ConfigKey(String key, String defaultValue, String doc) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.doc = doc;
  }

  /** The key with that name, or {@code null}. */
  public static ConfigKey of(String name) {
    for (ConfigKey k : values()) {
      if (k.key.equals(name)) {
        return k;
      }
    }
    return null;
  }

  /** The configuration reference as a Markdown table. */
  public static String reference() {
    StringBuilder sb = new StringBuilder("| key | default | meaning |\n| --- | --- | --- |\n");
    for (ConfigKey k : values()) {
      sb.append("| `")
          .append(k.key)
          .append("` | `")
          .append(k.defaultValue)
          .append("` | ")
          .append(k.doc)
          .append(" |\n");
    }
    sb.append(
            "| `kafka.properties.*` | | Any Kafka consumer property, e.g."
                + " `kafka.properties.security.protocol: SASL_SSL`. |\n")
        .append(
            "| `catalog.properties.*` | `type: hadoop`, `warehouse: .local/warehouse` |"
                + " Any `spark.sql.catalog.<name>.*` property (REST, Hive, JDBC, Glue, Nessie). |\n")
        .append("| `spark.conf.*` | | Any Spark property for the session. |\n")
        .append(
            "| `labels[]` | click: 30m exists 0 | Label specs: `name`, `window`, `aggregation`"
                + " (exists, count, sum, first, last, min, max), `default` (number or null),"
                + " `join-keys` (default `[prediction_id]`, or entity keys), `restate` (default"
                + " false: late events rewrite the rows they touch). |\n")
        .append(
            "| `routers[]` | none | Bandit routers whose posteriors the joiner publishes:"
                + " `name`, `table`, `arm-column` (action, model_version, model_name; default"
                + " action), `reward` (a label spec), `reward-kind` (binary, numeric), `prior`"
                + " (`{alpha, beta}`, default 1, 1), `half-life`, `only-own-choices`, `arms`"
                + " ([Bandits](bandits-joiner.md)). |\n");
    return sb.toString();
  }
}
