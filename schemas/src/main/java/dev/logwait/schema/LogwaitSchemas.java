package dev.logwait.schema;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;

/** The schemas logwait ships: the current envelope and label schema, and every released version. */
public final class LogwaitSchemas {
  /** The envelope field that holds the feature set's record. */
  public static final String FEATURES_FIELD = "features";

  /**
   * Envelope field (since envelope v2): positions of the features the service never set, which
   * readers treat as missing (null); null when every feature was set.
   */
  public static final String UNSET_FEATURES_FIELD = "unset_features";

  private static final String BASE = "/logwait/schemas/";
  private static final Schema PREDICTION_ENVELOPE = load(BASE + "prediction_log.avsc");
  private static final Schema LABEL_EVENT = load(BASE + "label_event.avsc");
  private static final Schema ROUTER_POSTERIOR = load(BASE + "router_posterior.avsc");

  private static final Set<String> RESERVED_EXTRA =
      Set.of(
          "feature_set",
          "feature_set_version",
          "weight",
          "label_cutoff",
          "finalized_at",
          "run_id",
          "ingested_at",
          "kafka_topic",
          "kafka_partition",
          "kafka_offset");

  private LogwaitSchemas() {}

  /**
   * The current prediction envelope.
   *
   * @return the envelope, with an empty placeholder record as {@code features}
   */
  public static Schema predictionEnvelope() {
    return PREDICTION_ENVELOPE;
  }

  /**
   * The current envelope's field names.
   *
   * @return the names in order, without {@code features}
   */
  public static List<String> envelopeFieldNames() {
    List<String> names = new ArrayList<>();
    for (Schema.Field f : PREDICTION_ENVELOPE.getFields()) {
      if (!f.name().equals(FEATURES_FIELD)) {
        names.add(f.name());
      }
    }
    return List.copyOf(names);
  }

  /**
   * The current label event schema.
   *
   * @return the schema whose fingerprint label messages carry
   */
  public static Schema labelEvent() {
    return LABEL_EVENT;
  }

  /**
   * The current envelope with a feature set's record.
   *
   * @param featuresRecord the feature set's record
   * @return the writer schema of that feature set's predictions
   */
  public static Schema predictionWriterSchema(Schema featuresRecord) {
    return withFeatures(PREDICTION_ENVELOPE, featuresRecord);
  }

  /**
   * Any envelope version with a feature set's record.
   *
   * @param envelope a released envelope
   * @param featuresRecord the record to put as {@code features}
   * @return a new schema
   */
  public static Schema withFeatures(Schema envelope, Schema featuresRecord) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : envelope.getFields()) {
      fields.add(
          f.name().equals(FEATURES_FIELD)
              ? new Schema.Field(f.name(), featuresRecord, f.doc(), (Object) null)
              : new Schema.Field(f, f.schema()));
    }
    Schema out =
        Schema.createRecord(
            envelope.getName(), envelope.getDoc(), envelope.getNamespace(), false, fields);
    return out;
  }

  /**
   * Every released envelope version.
   *
   * @return the versions, oldest first
   */
  public static List<Schema> predictionEnvelopeHistory() {
    return history("prediction_log-");
  }

  /**
   * The current router posterior schema: the per-arm statistics the joiner publishes for bandit
   * routers.
   *
   * @return the schema whose fingerprint posterior messages carry
   */
  public static Schema routerPosterior() {
    return ROUTER_POSTERIOR;
  }

  /**
   * Every released router posterior version.
   *
   * @return the versions, oldest first
   */
  public static List<Schema> routerPosteriorHistory() {
    return history("router_posterior-");
  }

  /**
   * Every released label event version.
   *
   * @return the versions, oldest first
   */
  public static List<Schema> labelEventHistory() {
    return history("label_event-");
  }

  /**
   * True when a (lower-case) name is a column of the training table that a feature must not take:
   * an envelope field, a label column, or a column the joiner adds.
   */
  static boolean isReservedColumn(String lowerName) {
    return PREDICTION_ENVELOPE.getField(lowerName) != null
        || lowerName.startsWith("label_")
        || lowerName.startsWith("_")
        || RESERVED_EXTRA.contains(lowerName);
  }

  private static List<Schema> history(String prefix) {
    List<Schema> out = new ArrayList<>();
    try (InputStream in = LogwaitSchemas.class.getResourceAsStream(BASE + "history/index.txt");
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        line = line.trim();
        if (!line.isEmpty() && !line.startsWith("#") && line.startsWith(prefix)) {
          out.add(load(BASE + "history/" + line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static Schema load(String resource) {
    try (InputStream in = LogwaitSchemas.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing schema resource " + resource);
      }
      return new Schema.Parser().parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read schema " + resource, e);
    }
  }
}
