package dev.logwait.joiner.table;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** Appends one row per run to the {@code runs} table: the audit of what each run did. */
public final class Runs {
  private Runs() {}

  public record Run(
      String runId,
      String command,
      long startedAtMillis,
      String status,
      String configHash,
      Map<String, Long> offsets,
      Map<String, Long> snapshots,
      Map<String, Long> counts,
      Long watermarkMicros,
      Map<String, Long> dataLoss,
      Map<String, Object> health) {}

  public static void record(SparkSession spark, Tables tables, Run run) {
    Row row =
        RowFactory.create(
            run.runId(),
            run.command(),
            new Timestamp(run.startedAtMillis()),
            new Timestamp(System.currentTimeMillis()),
            run.status(),
            run.configHash(),
            Tables.json(run.offsets()),
            Tables.json(run.snapshots()),
            scala.jdk.javaapi.CollectionConverters.asScala(run.counts()),
            run.watermarkMicros() == null ? null : new Timestamp(run.watermarkMicros() / 1000),
            run.dataLoss().isEmpty() ? null : Tables.json(run.dataLoss()),
            Tables.json(run.health()));
    var schema = spark.table(tables.name(Tables.RUNS)).schema();
    try {
      spark.createDataFrame(List.of(row), schema).writeTo(tables.name(Tables.RUNS)).append();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot record the run in " + Tables.RUNS + ": " + e, e);
    }
  }
}
