package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.joiner.ingest.DataLossException;
import dev.logwait.schema.FeatureSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 6: records deleted from the topic (AdminClient deleteRecords) before they were ingested.
 * The run fails naming partitions and counts and changes nothing; with --accept-data-loss it
 * proceeds from the earliest offset and records the gap in runs.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RetentionGapIT {
  static final FeatureSet FS = FeatureSet.builder("gap", 1).addDouble("x").build();

  @Test
  void aGapFailsTheRunUnlessAccepted() throws Exception {
    Scenario s =
        new Scenario("gap", 2, 1, "labels:\n  - {name: click, window: 10m, aggregation: exists}\n");
    s.log(FS, 1_000_000_000_000_000L, ids("first", 50));
    s.run();
    long before = s.read("raw_predictions").count();
    s.log(FS, 1_000_000_000_000_000L, ids("lost", 30));
    long deleted = 0;
    try (Admin admin = Admin.create(s.broker.clientProps())) {
      var tp0 = new TopicPartition(s.predictions, 0);
      long end =
          admin
              .listOffsets(Map.of(tp0, org.apache.kafka.clients.admin.OffsetSpec.latest()))
              .all()
              .get()
              .get(tp0)
              .offset();
      admin.deleteRecords(Map.of(tp0, RecordsToDelete.beforeOffset(end))).all().get();
      long committed =
          dev.logwait.joiner.table.Json.readLongMap(
                  s.spark()
                      .sql(
                          "SELECT summary['logwait.offsets'] FROM "
                              + s.table("raw_predictions")
                              + ".snapshots ORDER BY committed_at DESC LIMIT 1")
                      .first()
                      .getString(0))
              .get(s.predictions + "/0");
      deleted = end - committed;
    }
    assertThat(deleted).isPositive();
    final long lost = deleted;
    assertThatThrownBy(s::run)
        .isInstanceOf(DataLossException.class)
        .hasMessageContaining(lost + " records fell out of Kafka's retention")
        .hasMessageContaining(s.predictions + "/0=" + lost)
        .hasMessageContaining("Nothing was written");
    assertThat(s.read("raw_predictions").count()).isEqualTo(before);

    var accepted = s.run(true);
    assertThat(accepted.dataLoss()).containsEntry(s.predictions + "/0", lost);
    assertThat(s.read("raw_predictions").count()).isEqualTo(before + 30 - lost);
    String recorded =
        s.spark()
            .sql("SELECT data_loss FROM " + s.table("runs") + " WHERE data_loss IS NOT NULL")
            .first()
            .getString(0);
    assertThat(recorded).contains(s.predictions + "/0\":" + lost);
    assertThat(s.run().counts()).containsEntry("predictions_written", 0L);
  }

  private static String[] ids(String prefix, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> prefix + i).toArray(String[]::new);
  }
}
