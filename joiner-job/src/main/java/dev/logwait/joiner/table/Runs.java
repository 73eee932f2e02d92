package dev.logwait.joiner.table;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

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

  public static void record(SparkSession spark, Tables tables, Run run) {
    Row row =
        RowFactory.create(
            run.runId(),
            run.command(),
            new Timestamp(run.startedAtMillis()),
            new Timestamp(System.currentTimeMillis()),
            run.status(),
            run.configHash(),
            Json.write(run.offsets()),
            Json.write(run.snapshots()),
            scala.jdk.javaapi.CollectionConverters.asScala(run.counts()),
            run.watermarkMicros() == null ? null : new Timestamp(run.watermarkMicros() / 1000),
            run.dataLoss().isEmpty() ? null : Json.write(run.dataLoss()),
            Json.write(run.health()),
            run.error());
    var schema = spark.table(tables.name(Tables.RUNS)).schema();
    try {
      spark.createDataFrame(List.of(row), schema).writeTo(tables.name(Tables.RUNS)).append();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot record the run in " + Tables.RUNS + ": " + e, e);
    }
  }
}
