package dev.logwait.joiner.lineage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.kafka.Positions;
import dev.logwait.joiner.table.Tables;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The lineage of one joiner run ({@code joiner.run}, {@code joiner.ingest}, {@code joiner.join}): a
 * START event when it begins; a COMPLETE event naming the Kafka topics it read (each partition's
 * offsets before and after) or the raw tables it joined, and every table it committed to with the
 * snapshot id as the dataset version and the rows it wrote; or a FAIL event with the error.
 */
public final class JoinerLineage {
  private static final JoinerLineage OFF = new JoinerLineage(null, null, null, null, null);

  private final Lineage lineage;
  private final JoinerConfig config;
  private final Tables tables;
  private final String command;
  private final String runId = UUID.randomUUID().toString();
  private final Positions before;

  private JoinerLineage(
      Lineage lineage, JoinerConfig config, Tables tables, String command, Positions before) {
    this.lineage = lineage;
    this.config = config;
    this.tables = tables;
    this.command = command;
    this.before = before;
  }

  /** Emits the START event (nothing when {@code lineage.url} is off). */
  public static JoinerLineage start(JoinerConfig config, Tables tables, String command) {
    Lineage l = Lineage.of(config);
    if (!l.enabled()) {
      return OFF;
    }
    JoinerLineage run = new JoinerLineage(l, config, tables, command, positions(tables));
    l.emit(run.event("START"));
    return run;
  }

  /** Emits the COMPLETE event of the logwait run {@code logwaitRunId}. */
  public void complete(String logwaitRunId, Map<String, Long> counts) {
    if (lineage == null) {
      return;
    }
    try {
      ObjectNode e = event("COMPLETE");
      RunEvents.custom((ObjectNode) e.get("run").get("facets"), "run")
          .put("runId", logwaitRunId)
          .put("command", command)
          .set("counts", Lineage.JSON.valueToTree(new TreeMap<>(counts)));
      inputs((ArrayNode) e.get("inputs"));
      outputs((ArrayNode) e.get("outputs"), logwaitRunId, counts);
      lineage.emit(e);
    } catch (RuntimeException ex) {
      System.err.println("[logwait] warning: OpenLineage event not built: " + ex.getMessage());
    }
  }

  /** Emits the FAIL event. */
  public void fail(Exception error) {
    if (lineage == null) {
      return;
    }
    ObjectNode e = event("FAIL");
    RunEvents.error(e, String.valueOf(error.getMessage()));
    lineage.emit(e);
  }

  private ObjectNode event(String type) {
    return RunEvents.event(type, Instant.now(), runId, lineage.namespace(), "joiner." + command);
  }

  private void inputs(ArrayNode inputs) {
    if (command.equals("join")) {
      for (String t : new String[] {Tables.RAW_PREDICTIONS, Tables.RAW_LABELS}) {
        Long id = tables.exists(t) ? tables.snapshotId(t) : null;
        if (id != null) {
          RunEvents.version(
              RunEvents.dataset(inputs, Datasets.iceberg(config), Datasets.table(config, t)),
              String.valueOf(id));
        }
      }
      return;
    }
    Positions after = positions(tables);
    String kafka = Datasets.kafka(config);
    for (String topic :
        new String[] {
          config.get(ConfigKey.PREDICTIONS_TOPIC), config.get(ConfigKey.LABELS_TOPIC)
        }) {
      ObjectNode d = RunEvents.dataset(inputs, kafka, topic);
      ObjectNode partitions =
          RunEvents.custom(d.putObject("inputFacets"), "offsets").putObject("partitions");
      after
          .keyed()
          .forEach(
              (key, next) -> {
                int slash = key.lastIndexOf('/');
                if (key.substring(0, slash).equals(topic)) {
                  partitions
                      .putObject(key.substring(slash + 1))
                      .put("from", before.keyed().getOrDefault(key, 0L))
                      .put("to", next);
                }
              });
    }
  }

  private void outputs(ArrayNode outputs, String logwaitRunId, Map<String, Long> counts) {
    for (String t : tables.committedBy(logwaitRunId)) {
      ObjectNode d =
          RunEvents.dataset(outputs, Datasets.iceberg(config), Datasets.table(config, t));
      RunEvents.version(d, String.valueOf(tables.snapshotId(t)));
      Long rows =
          switch (t) {
            case Tables.RAW_PREDICTIONS -> counts.get("predictions_written");
            case Tables.RAW_LABELS -> counts.get("labels_written");
            case Tables.QUARANTINE -> counts.get("quarantined");
            default -> t.startsWith(Tables.TRAINING_PREFIX) ? counts.get("finalized") : null;
          };
      if (rows != null) {
        RunEvents.rowCount(d, rows);
      }
    }
  }

  /** The raw tables' committed Kafka positions (none before the first run). */
  private static Positions positions(Tables tables) {
    Positions p = Positions.NONE;
    for (String t : new String[] {Tables.RAW_PREDICTIONS, Tables.RAW_LABELS}) {
      if (tables.exists(t)) {
        p = p.plus(tables.currentPosition(t));
      }
    }
    return p;
  }
}
