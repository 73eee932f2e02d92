package dev.logwait.joiner.table;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.avro.Avro;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.DateTimeUtil;

/**
 * Appends one row per run to the {@code runs} table: the audit of what each run did, failed runs
 * included ({@code status = failed}, the error, and the positions the tables it committed to hold).
 */
public final class Runs {
  /*
   * offsets: a succeeded run's complete map {topic/partition -> next offset}; a failed run's
   * {table -> that map} for each table it committed to before failing.
   */
  private Runs() {}

  public record Run(
      String runId,
      String command,
      long startedAtMillis,
      String status,
      String configHash,
      Map<String, ?> offsets,
      Map<String, Long> snapshots,
      Map<String, Long> counts,
      Long watermarkMicros,
      Map<String, Long> dataLoss,
      Map<String, Object> health,
      String error) {}

  /**
   * Appends the run's row with Iceberg's own Parquet writer and one append commit: no Spark job, so
   * that a run with nothing to do stays cheap. Iceberg retries the append when another run's commit
   * came first.
   */
  public static void record(Tables tables, Run run) {
    try {
      Table t = tables.iceberg(Tables.RUNS);
      Schema schema = t.schema();
      GenericRecord r = GenericRecord.create(schema);
      r.setField("run_id", run.runId());
      r.setField("command", run.command());
      r.setField("started_at", timestamp(schema, "started_at", run.startedAtMillis() * 1000));
      r.setField(
          "finished_at", timestamp(schema, "finished_at", System.currentTimeMillis() * 1000));
      r.setField("status", run.status());
      r.setField("config_hash", run.configHash());
      r.setField("offsets", Json.write(run.offsets()));
      r.setField("snapshots", Json.write(run.snapshots()));
      r.setField("counts", new LinkedHashMap<>(run.counts()));
      r.setField(
          "label_watermark",
          run.watermarkMicros() == null
              ? null
              : timestamp(schema, "label_watermark", run.watermarkMicros()));
      r.setField("data_loss", run.dataLoss().isEmpty() ? null : Json.write(run.dataLoss()));
      r.setField("health", Json.write(run.health()));
      r.setField("error", run.error());
      OutputFile out =
          t.io()
              .newOutputFile(
                  t.locationProvider()
                      .newDataLocation(
                          FileFormat.AVRO.addExtension(
                              run.runId().replaceAll("[^A-Za-z0-9-]", "_")
                                  + "-"
                                  + UUID.randomUUID())));
      DataWriter<Record> w =
          Avro.writeData(out)
              .forTable(t)
              .createWriterFunc(org.apache.iceberg.data.avro.DataWriter::create)
              .overwrite()
              .build();
      try (w) {
        w.write(r);
      }
      t.newAppend().appendFile(w.toDataFile()).commit();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("Cannot record the run in " + Tables.RUNS + ": " + e, e);
    }
  }

  /** Microseconds as the column's type holds them (with or without a zone). */
  private static Object timestamp(Schema schema, String column, long micros) {
    Types.TimestampType type = (Types.TimestampType) schema.findType(column);
    OffsetDateTime utc = DateTimeUtil.timestamptzFromMicros(micros);
    return type.shouldAdjustToUTC() ? utc : utc.toLocalDateTime();
  }
}
