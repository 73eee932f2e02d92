package dev.logwait.joiner.trainer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.logwait.joiner.config.ConfigException;
import dev.logwait.schema.LogwaitSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/**
 * A trainer's batch as files a trainer outside the JVM can read: the rows as Avro files (Spark's
 * Avro writer; Debian's {@code python3-avro} reads them) and a {@code manifest.json} naming the
 * batch (trainer, table, snapshot range, row count, how final its labels are, a batch id), its
 * columns, which of them are features and labels, and the files. {@code cursor commit --batch
 * manifest.json} then commits exactly that batch.
 */
public final class BatchExport {
  /** The manifest's {@code format}: bumped when a field changes meaning. */
  public static final String FORMAT = "logwait-batch/1";

  /** Columns the joiner adds beside the envelope and the labels: not features. */
  static final Set<String> SYSTEM_COLUMNS =
      Set.of("weight", "feature_set_version", "revision", "restated_at", "finalized_at");

  private BatchExport() {}

  /**
   * Writes {@code batch} under {@code dir} (which must not exist or be empty) and returns the
   * manifest as written.
   *
   * @param table the training table as catalogs name it ({@code catalog.namespace.table})
   */
  public static Map<String, Object> write(TrainingData.Batch batch, String table, Path dir) {
    Path out = dir.toAbsolutePath().normalize();
    requireEmpty(out);
    long rows = batch.empty() ? 0 : batch.rows().count();
    List<String> files = new ArrayList<>();
    if (rows > 0) {
      Path data = out.resolve("rows");
      // deflate: the codec every Avro reader has (Spark would write snappy, which Python's avro
      // reads only with python-snappy installed)
      batch
          .rows()
          .write()
          .format("avro")
          .option("compression", "deflate")
          .save(data.toUri().toString());
      try (Stream<Path> s = Files.list(data)) {
        s.map(p -> p.getFileName().toString())
            .filter(n -> n.endsWith(".avro"))
            .sorted()
            .forEach(n -> files.add("rows/" + n));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("batch_id", UUID.randomUUID().toString());
    m.put("trainer", batch.trainer());
    m.put("table", table);
    m.put("training_table", batch.table());
    m.put("from_snapshot_exclusive", batch.fromSnapshotExclusive());
    m.put("to_snapshot", batch.toSnapshot());
    m.put("rows", rows);
    m.put(
        "labels_final_through",
        batch.finalThrough() == null ? null : batch.finalThrough().toString());
    m.put("exported_at", Instant.now().toString());
    List<Map<String, String>> columns = new ArrayList<>();
    List<String> features = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    Set<String> envelope = Set.copyOf(LogwaitSchemas.envelopeFieldNames());
    for (StructField f : batch.rows().schema().fields()) {
      columns.add(Map.of("name", f.name(), "type", f.dataType().simpleString()));
      String n = f.name();
      if (n.startsWith("label_") && !n.endsWith("_at") && !n.endsWith("_count")) {
        labels.add(n);
      } else if (!envelope.contains(n)
          && !n.startsWith("label_")
          && !SYSTEM_COLUMNS.contains(n)
          && (f.dataType() instanceof NumericType || f.dataType() instanceof BooleanType)) {
        features.add(n);
      }
    }
    m.put("columns", columns);
    m.put("features", features);
    m.put("labels", labels);
    m.put("weight", "weight");
    m.put("files", files);
    try {
      Files.createDirectories(out);
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(out.resolve("manifest.json").toFile(), m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return m;
  }

  private static void requireEmpty(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      if (s.findAny().isPresent()) {
        throw new ConfigException(
            "--export "
                + dir
                + ": the folder is not empty; export each batch to a new folder (an old batch's"
                + " files would be read as this one's)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A manifest read back for a commit: the batch it names. */
  public record Manifest(
      String batchId, String trainer, String table, Long after, long to, long rows) {
    /**
     * @throws ConfigException when the file is missing or not a logwait batch manifest
     */
    public static Manifest read(Path file) {
      Map<?, ?> m;
      try {
        m = new ObjectMapper().readValue(file.toFile(), Map.class);
      } catch (IOException e) {
        throw new ConfigException(
            "--batch " + file + ": cannot read the manifest (" + e.getMessage() + ")");
      }
      if (!FORMAT.equals(m.get("format"))) {
        throw new ConfigException(
            "--batch "
                + file
                + ": not a batch manifest of this logwait (format "
                + m.get("format")
                + ", expected "
                + FORMAT
                + "); export it with cursor next --export");
      }
      Object to = m.get("to_snapshot");
      if (!(to instanceof Number)) {
        throw new ConfigException(
            "--batch " + file + ": the batch is empty (no to_snapshot): nothing to commit");
      }
      Object after = m.get("from_snapshot_exclusive");
      return new Manifest(
          String.valueOf(m.get("batch_id")),
          String.valueOf(m.get("trainer")),
          String.valueOf(m.get("training_table")),
          after == null ? null : ((Number) after).longValue(),
          ((Number) to).longValue(),
          ((Number) m.get("rows")).longValue());
    }
  }
}
