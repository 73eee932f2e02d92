package dev.logwait.joiner.upkeep;

import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.table.Tables;
import dev.logwait.joiner.trainer.Cursor;
import dev.logwait.joiner.trainer.TrainingData;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * What {@code maintain} does, and {@code stream --maintain-every} on a schedule: the configured
 * discard policy ({@code discard-after}) on every training table a trainer reads, then {@link
 * Maintenance}. A training table without a cursor is left alone (nothing is known to be consumed).
 */
public final class Upkeep {
  private Upkeep() {}

  /** What one pass discarded and maintained. */
  public record Done(List<Discard.Done> discarded, List<Maintenance.Done> maintained) {}

  public static Done run(
      SparkSession spark,
      JoinerConfig config,
      Tables tables,
      Maintenance maintenance,
      PrintStream out) {
    TrainingData data = new TrainingData(spark, config);
    List<Discard.Done> discarded = new java.util.ArrayList<>();
    Duration retention = config.discardAfter();
    if (retention != null) {
      Set<String> read = data.current().stream().map(Cursor::table).collect(Collectors.toSet());
      for (String table : tables.names()) {
        if (!table.startsWith(Tables.TRAINING_PREFIX)) {
          continue;
        }
        if (read.contains(table)) {
          discarded.add(Discard.run(spark, config, table, retention, out));
        } else {
          out.printf(
              "discard-after %s: no trainer has a cursor on %s, nothing discarded%n",
              config.get(ConfigKey.DISCARD_AFTER), table);
        }
      }
    }
    return new Done(discarded, maintenance.run(spark, tables, data, out));
  }
}
