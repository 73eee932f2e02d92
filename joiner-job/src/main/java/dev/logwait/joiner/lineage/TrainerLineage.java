package dev.logwait.joiner.lineage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.trainer.Cursor;
import java.time.Instant;
import java.util.UUID;

/**
 * The lineage of a trainer's run ({@code trainer.<name>}): START when its batch is exported (the
 * run id is the batch's id), COMPLETE when the batch is committed. The COMPLETE event's inputs are
 * the training table, versioned by the batch's last snapshot with the range and row count it read,
 * and the model it started from; its output is the model it produced, naming its base.
 */
public final class TrainerLineage {
  private TrainerLineage() {}

  /** The START event of a trainer's run on an exported batch. */
  public static void started(
      JoinerConfig config, String batchId, String trainer, String table, Instant at) {
    Lineage l = Lineage.of(config);
    if (!l.enabled()) {
      return;
    }
    ObjectNode e = RunEvents.event("START", at, batchId, l.namespace(), "trainer." + trainer);
    RunEvents.dataset(
        (ArrayNode) e.get("inputs"), Datasets.iceberg(config), Datasets.table(config, table));
    l.emit(e);
  }

  /**
   * The COMPLETE event of a commit; without an exported batch ({@code batchId} null), a START event
   * first, so the run has both ends.
   */
  public static void committed(JoinerConfig config, String batchId, Cursor c) {
    Lineage l = Lineage.of(config);
    if (!l.enabled()) {
      return;
    }
    String runId = batchId;
    if (runId == null) {
      runId = UUID.randomUUID().toString();
      started(config, runId, c.trainer(), c.table(), c.committedAt());
    }
    ObjectNode e =
        RunEvents.event(
            "COMPLETE", c.committedAt(), runId, l.namespace(), "trainer." + c.trainer());
    ArrayNode inputs = (ArrayNode) e.get("inputs");
    ObjectNode training =
        RunEvents.dataset(inputs, Datasets.iceberg(config), Datasets.table(config, c.table()));
    RunEvents.version(training, String.valueOf(c.snapshotId()));
    ObjectNode batch = RunEvents.custom(training.putObject("inputFacets"), "batch");
    if (c.afterSnapshot() == null) {
      batch.putNull("afterSnapshot");
    } else {
      batch.put("afterSnapshot", c.afterSnapshot());
    }
    batch.put("toSnapshot", c.snapshotId()).put("rowCount", c.rows());
    batch.put("labelsFinalThrough", c.finalThrough() == null ? null : c.finalThrough().toString());
    if (c.baseModel() != null) {
      RunEvents.version(
          RunEvents.dataset(inputs, l.namespace(), Datasets.model(c.baseModel())), c.baseModel());
    }
    ObjectNode model =
        RunEvents.dataset(
            (ArrayNode) e.get("outputs"), l.namespace(), Datasets.model(c.modelVersion()));
    RunEvents.version(model, c.modelVersion());
    ObjectNode m =
        RunEvents.custom((ObjectNode) model.get("facets"), "model")
            .put("modelVersion", c.modelVersion())
            .put("baseModel", c.baseModel())
            .put("trainer", c.trainer())
            .put("trainingTable", Datasets.table(config, c.table()))
            .put("toSnapshot", c.snapshotId())
            .put("rowCount", c.rows());
    if (c.afterSnapshot() == null) {
      m.putNull("afterSnapshot");
    } else {
      m.put("afterSnapshot", c.afterSnapshot());
    }
    l.emit(e);
  }
}
