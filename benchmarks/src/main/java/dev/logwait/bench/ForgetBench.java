package dev.logwait.bench;

import dev.logwait.joiner.cli.JobContext;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.erasure.Forget;
import dev.logwait.joiner.erasure.Subjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Forgetting {@code subjects} people ({@code user_id = u0 … u<subjects-1>}) from the tables a
 * logwait run filled from BenchData's topics: the time of the erasure, the rows, files and bytes it
 * rewrote. {@code ForgetBench <bootstrap> <prefix> <warehouse> <subjects>}; prints one result line.
 */
public final class ForgetBench {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String prefix = args[1];
    Path warehouse = Path.of(args[2]).toAbsolutePath();
    int subjects = Integer.parseInt(args[3]);
    Path yaml = Files.createTempFile("bench-forget", ".yaml");
    Files.writeString(
        yaml,
        "kafka:\n  bootstrap-servers: "
            + bootstrap
            + "\n  predictions-topic: "
            + prefix
            + "-preds\n  labels-topic: "
            + prefix
            + "-labels\n  schemas-topic: "
            + prefix
            + "-schemas\ncatalog:\n  name: bench\n  properties:\n    type: hadoop\n"
            + "    warehouse: "
            + warehouse
            + "\nnamespace: logwait\nspark:\n  shuffle-partitions: 4\n"
            + "labels:\n  - {name: click, window: 30m, aggregation: exists, default: 0}\n");
    JoinerConfig config = JoinerConfig.load(yaml, Map.of());
    SparkSession.Builder b =
        SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false");
    JobContext.configure(b, config);
    SparkSession spark = b.getOrCreate();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < subjects; i++) {
      ids.add("user_id=u" + i);
    }
    Path file = Files.createTempFile("subjects", ".txt");
    Files.write(file, ids);
    long t = System.nanoTime();
    Forget.Done d =
        new Forget(spark, config, System.err)
            .run(
                Subjects.parse(List.of(), List.of(file)),
                new Forget.Options(false, Duration.ofHours(1)));
    double seconds = (System.nanoTime() - t) / 1e9;
    Map<String, Long> c = d.counts();
    System.out.printf(
        "RESULT subjects=%d seconds=%.1f rows_deleted=%d files_rewritten=%d bytes_rewritten=%d"
            + " expired_snapshots=%d tombstones=%d peak_rss_mb=%d %s%n",
        subjects,
        seconds,
        d.rowsDeleted().values().stream().mapToLong(Long::longValue).sum(),
        c.get("files_rewritten"),
        c.get("bytes_rewritten"),
        c.get("expired_snapshots"),
        c.get("tombstones_recorded"),
        JoinerBench.peakRssMb(),
        d.rowsDeleted());
    spark.stop();
  }
}
