package dev.logwait.joiner.erasure;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.table.RowUpdates;
import dev.logwait.joiner.table.Runs;
import dev.logwait.joiner.table.TableDdl;
import dev.logwait.joiner.table.Tables;
import dev.logwait.joiner.table.Tombstones;
import dev.logwait.joiner.trainer.Cursor;
import dev.logwait.joiner.trainer.CursorMoves;
import dev.logwait.joiner.trainer.TrainingData;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * {@code joiner forget}: erases every row about the given people (data subjects) from every logwait
 * table and every snapshot, and keeps them out.
 *
 * <ol>
 *   <li>Finds where they are ({@link Affected}); a subject no row is about is refused, nothing
 *       changed (unless recorded anyway).
 *   <li>Records their entity keys and their predictions' ids as tombstones first, so that a copy
 *       arriving from then on is dropped at ingest ({@link Tombstones}).
 *   <li>Deletes their rows, table by table, each delete one branch commit that rewrites the files
 *       holding them (copy-on-write) and carries the table's logwait properties; identifier columns
 *       keep no bounds in the new files' metadata ({@link TableDdl#dropIdentifierBounds}).
 *   <li>Scrubs each table's history ({@link Scrub}): branches and tags removed, manifests
 *       rewritten, every earlier snapshot expired and the files only they held deleted, orphan
 *       files removed. Trainers' cursors and unfinished backfills, whose snapshots go too, are
 *       moved so that they go on exactly where they were ({@link CursorMoves#moveAfterErasure}).
 *   <li>Records the erasure in {@code runs} (counts, no identifiers), and says how long Kafka keeps
 *       the subjects' messages.
 * </ol>
 */
public final class Forget {
  private static final int ATTEMPTS = 6;

  /**
   * @param recordMissing record tombstones for subjects no row is about (instead of refusing)
   * @param orphanGrace orphan files younger than this are left (a running write's files)
   */
  public record Options(boolean recordMissing, Duration orphanGrace) {}

  /** What an erasure did. */
  public record Done(
      String runId,
      Map<String, Long> rowsDeleted,
      Map<String, Long> counts,
      List<String> cursorsMoved) {}

  private final SparkSession spark;
  private final JoinerConfig config;
  private final Tables tables;
  private final PrintStream out;

  public Forget(SparkSession spark, JoinerConfig config, PrintStream out) {
    this.spark = spark;
    this.config = config;
    this.tables = new Tables(spark, config);
    this.out = out;
  }

  public Done run(Subjects subjects, Options o) {
    long started = System.currentTimeMillis();
    String runId = Instant.now() + "-" + UUID.randomUUID().toString().substring(0, 8);
    Affected affected = new Affected(spark, tables, subjects);
    Map<String, Affected.Kind> kinds = affected.tablesWithRows();
    if (!kinds.containsKey(Tables.RAW_PREDICTIONS)) {
      throw new ConfigException(
          "forget: " + tables.namespace() + " holds no logwait tables yet: nothing to forget");
    }
    Set<String> found = affected.found(kinds);
    List<String> missing =
        subjects.keys().stream()
            .map(Subjects.Subject::toString)
            .filter(s -> !found.contains(s))
            .toList();
    if (!missing.isEmpty() && !o.recordMissing()) {
      throw new ConfigException(
          "forget: no row in "
              + tables.namespace()
              + " is about "
              + String.join(", ", missing)
              + "; nothing was changed (--record-missing records them anyway, so that messages"
              + " about them that arrive later are dropped)");
    }
    Dataset<Row> predictions = RowUpdates.materialize(affected.predictions(kinds));
    Map<String, Instant> lastSeen = lastSeen(kinds, affected, predictions);
    out.printf(
        "[logwait] forget: %d subjects (%d found), %,d predictions about them%n",
        subjects.keys().size(), found.size(), predictions.count());

    Map<String, Long> counts = new LinkedHashMap<>();
    Tombstones tombstones = new Tombstones(spark, tables);
    counts.put(
        "tombstones_recorded",
        tombstones.recordEntities(entityRows(subjects), runId)
            + tombstones.recordPredictions(predictions, Tombstones.ERASED, runId));

    Deletes deletes = new Deletes(spark, tables, affected, runId, ATTEMPTS);
    Scrub scrub = new Scrub(spark, tables, runId);
    Map<String, Long> keep = new LinkedHashMap<>();
    List<String> refs = new ArrayList<>();
    // the raw tables first: a join retried beside this finds nothing of theirs to finalize, and
    // the backfills' pins can move to their scrubbed heads
    List<String> raw = new ArrayList<>();
    for (String t : List.of(Tables.RAW_PREDICTIONS, Tables.RAW_LABELS, Tables.QUARANTINE)) {
      if (kinds.containsKey(t)) {
        raw.add(t);
        deletes.delete(t, kinds, Map.of());
        keep.put(t, scrub.prepare(t, refs));
      }
    }
    for (String t : kinds.keySet()) {
      if (!raw.contains(t)) {
        deletes.delete(t, kinds, repins(t, keep));
        keep.put(t, scrub.prepare(t, refs));
      }
    }
    List<String> moved = moveCursors(keep, predictions);
    long expired = 0;
    long orphans = 0;
    for (var e : keep.entrySet()) {
      Scrub.Done d = scrub.finish(e.getKey(), e.getValue(), 0, o.orphanGrace().toMillis());
      expired += d.expiredSnapshots();
      orphans += d.orphanFiles();
    }
    counts.put("subjects", (long) subjects.keys().size());
    counts.put("subjects_without_rows", (long) missing.size());
    deletes.rows().forEach((t, n) -> counts.put("rows_deleted." + t, n));
    counts.put("files_rewritten", deletes.filesRewritten());
    counts.put("bytes_rewritten", deletes.bytesRewritten());
    counts.put("refs_removed", (long) refs.size());
    counts.put("expired_snapshots", expired);
    counts.put("orphan_files_removed", orphans);
    counts.put("cursors_moved", (long) moved.size());
    Runs.record(
        tables,
        new Runs.Run(
            runId,
            "forget",
            started,
            "succeeded",
            config.hash(),
            Map.of(),
            keep,
            counts,
            null,
            Map.of(),
            Map.of(),
            null));
    new ForgetReport(out).print(deletes, counts, refs, moved, lastSeen, config);
    return new Done(runId, deletes.rows(), counts, moved);
  }

  /** The subjects' entity keys as {@code key, value} rows. */
  private Dataset<Row> entityRows(Subjects subjects) {
    List<Row> rows = new ArrayList<>();
    for (Subjects.Subject s : subjects.entities()) {
      rows.add(RowFactory.create(s.key(), s.value()));
    }
    return spark.createDataFrame(rows, Tombstones.entityKeys());
  }

  /**
   * A backfill target's state with its pins moved to the raw tables' scrubbed heads (its pinned
   * snapshots are expired), as properties for its delete commit; empty for other tables.
   */
  private Map<String, String> repins(String table, Map<String, Long> rawHeads) {
    Map<String, String> summary = tables.summary(table);
    String pins = dev.logwait.joiner.join.BackfillPins.stateKey();
    Map<String, Long> pinned = dev.logwait.joiner.join.BackfillPins.of(summary);
    Long pinnedRaw = pinned.get(Tables.RAW_PREDICTIONS);
    if (pinnedRaw == null || tables.iceberg(Tables.RAW_PREDICTIONS).snapshot(pinnedRaw) == null) {
      return Map.of();
    }
    String moved =
        dev.logwait.joiner.join.BackfillPins.repinned(
            summary,
            rawHeads.get(Tables.RAW_PREDICTIONS),
            rawHeads.getOrDefault(Tables.RAW_LABELS, pinned.get(Tables.RAW_LABELS)),
            tables.iceberg(Tables.RAW_PREDICTIONS).snapshot(pinnedRaw).timestampMillis());
    return moved == null ? Map.of() : Map.of(pins, moved);
  }

  /**
   * Moves every trainer's cursor on a training table to the table's scrubbed head, carrying the
   * rows it had not read yet (without the erased ones). Returns a line per trainer moved.
   */
  private List<String> moveCursors(Map<String, Long> heads, Dataset<Row> erased) {
    TrainingData data = new TrainingData(spark, config);
    CursorMoves moves = new CursorMoves(spark, config);
    Dataset<Row> erasedIds = erased.select(col("prediction_id").as("_erased"));
    List<String> lines = new ArrayList<>();
    for (Cursor c : data.current()) {
      Long to = heads.get(c.table());
      if (to == null || to < 0) {
        continue;
      }
      for (int attempt = 1; ; attempt++) {
        Cursor at =
            data.current().stream()
                .filter(x -> x.trainer().equals(c.trainer()) && x.table().equals(c.table()))
                .findFirst()
                .orElseThrow();
        Dataset<Row> rows = data.since(at.trainer(), at.table()).rows();
        Dataset<Row> unread =
            RowUpdates.materialize(
                rows.join(
                        erasedIds,
                        rows.col("prediction_id").equalTo(erasedIds.col("_erased")),
                        "left_anti")
                    .select("prediction_id"));
        try {
          Cursor m = moves.moveAfterErasure(at, to, unread);
          lines.add(
              String.format(
                  "%s on %s: moved from snapshot %d to %d; %,d rows it had not read come in its"
                      + " next batch, none erased, none twice",
                  m.trainer(), m.table(), at.snapshotId(), to, m.rows()));
          break;
        } catch (dev.logwait.joiner.table.ConcurrentRunException e) {
          if (attempt == ATTEMPTS) {
            throw e;
          }
        }
      }
    }
    return lines;
  }

  /**
   * When each topic last received a message about the subjects (from the raw tables, before they
   * are erased): a prediction's Kafka timestamp; for labels, when they were ingested (their Kafka
   * time is no later).
   */
  private Map<String, Instant> lastSeen(
      Map<String, Affected.Kind> kinds, Affected affected, Dataset<Row> predictions) {
    Map<String, Instant> out = new LinkedHashMap<>();
    Row p =
        spark
            .table(tables.name(Tables.RAW_PREDICTIONS))
            .join(
                predictions.select(col("prediction_id").as("_id")),
                col("prediction_id").equalTo(col("_id")),
                "left_semi")
            .agg(max("kafka_timestamp"))
            .first();
    if (!p.isNullAt(0)) {
      out.put(
          config.get(dev.logwait.joiner.config.ConfigKey.PREDICTIONS_TOPIC),
          ((Timestamp) p.get(0)).toInstant());
    }
    if (kinds.containsKey(Tables.RAW_LABELS)) {
      Dataset<Row> labels = spark.table(tables.name(Tables.RAW_LABELS));
      Dataset<Row> ids = affected.rowsOf(Affected.Kind.LABELS, labels, predictions);
      Row l =
          labels
              .join(
                  ids.select(col("event_id").as("_e")),
                  col("event_id").equalTo(col("_e")),
                  "left_semi")
              .agg(max("ingested_at"))
              .first();
      if (!l.isNullAt(0)) {
        out.put(
            config.get(dev.logwait.joiner.config.ConfigKey.LABELS_TOPIC),
            ((Timestamp) l.get(0)).toInstant());
      }
    }
    return out;
  }
}
