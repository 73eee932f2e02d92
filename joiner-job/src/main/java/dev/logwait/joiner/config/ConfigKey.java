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
  RETRAIN_MAX_PSI(
      "retrain.drift.max-psi",
      "0.25",
      "Retraining trigger (`check`, `stream --check-every`): drift holds when a feature's"
          + " population stability index in the newest `drift` rows is above this. 0.25 is the"
          + " credit-scoring rule of thumb for a significant shift (below 0.1 no significant"
          + " change, 0.1 to 0.25 moderate, above 0.25 significant: Siddiqi, *Credit Risk"
          + " Scorecards*, Wiley 2006)."),
  RETRAIN_MODERATE_PSI(
      "retrain.drift.moderate-psi",
      "0.1",
      "Drift also holds when at least `retrain.drift.moderate-features` features are above this"
          + " PSI (the same rule of thumb's lower band: 0.1 starts a moderate shift)."),
  RETRAIN_MODERATE_FEATURES(
      "retrain.drift.moderate-features",
      "3",
      "How many features above `retrain.drift.moderate-psi` make drift hold (logwait's choice:"
          + " several moderate shifts at once; the rule of thumb says nothing about counts)."),
  RETRAIN_LABEL_RATE_CHANGE(
      "retrain.label-rate.change",
      "0.2",
      "The label-rate condition holds when a label's weighted mean over the last"
          + " `retrain.current-window` differs from the `retrain.reference-window` before it by"
          + " more than this share of the reference (0.2: a 20% relative change, a common"
          + " prior-shift alert level) and the difference is significant (|z| above 3, a"
          + " three-sigma rule, so small samples do not trigger it)."),
  RETRAIN_CURRENT_WINDOW(
      "retrain.current-window",
      "1d",
      "The recent period of the label-rate condition, ending at the newest finalized row's"
          + " `served_at` (the report's drift uses the same default)."),
  RETRAIN_REFERENCE_WINDOW(
      "retrain.reference-window",
      "7d",
      "The reference period of the label-rate condition, just before the current one."),
  RETRAIN_MIN_NEW_ROWS(
      "retrain.min-new-rows",
      "10000",
      "The new-rows condition holds when a trainer has at least this many finalized rows it has"
          + " not read (logwait's choice, not a published figure: set it to the smallest batch"
          + " worth a fine-tune of your model)."),
  RETRAIN_TRAINER(
      "retrain.trainer",
      "all",
      "Whose cursor the conditions are checked for: a trainer name, or `all` (every trainer with"
          + " a cursor on the table). Drift counts only when its rows are newer than the trainer's"
          + " last commit, label rate only while the trainer has rows to read."),
  LINEAGE_URL(
      "lineage.url",
      "off",
      "Where the joiner's runs and the trainers' commits send OpenLineage run events: `off`, a"
          + " file (`file:/path/events.jsonl`, one event a line, appended) or an HTTP endpoint"
          + " (`http://marquez:5000/api/v1/lineage`). A failed delivery is printed, never fails"
          + " the run or the commit."),
  LINEAGE_NAMESPACE(
      "lineage.namespace",
      "logwait",
      "The OpenLineage namespace of logwait's jobs (`joiner.run`, `trainer.<name>`) and of the"
          + " models (datasets `model:<version>`)."),
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
