package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.logger.Label;
import dev.logwait.logger.LabelLogger;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario 4: messages written with an older and a newer feature-set version in the same topics,
 * interleaved; both decode; a feature that appears later becomes a new column with nulls before; a
 * field widened from int to long and a dropped field read back right.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SchemaEvolutionIT {
  static final FeatureSet V1 =
      FeatureSet.builder("evo", 1).addDouble("x").addInt("clicks").addString("gone").build();
  static final FeatureSet V2 =
      FeatureSet.builder("evo", 2).addDouble("x").addLong("clicks").addFloatVector("emb").build();
  static final long T0 = 1_780_000_000_000_000L;

  @Test
  void oldAndNewVersionsDecodeSideBySide() {
    Scenario s =
        new Scenario(
            "evo",
            2,
            1,
            "labels:\n  - {name: click, window: 10m, aggregation: exists, default: 0}\n");
    try (PredictionLogger logger = s.predictionLogger().build();
        LabelLogger labels = s.labelLogger()) {
      logger.register(V1);
      logger.register(V2);
      for (int i = 0; i < 40; i++) {
        boolean newer = i % 2 == 1;
        var p =
            logger
                .prediction(newer ? V2 : V1, "m", newer ? "2" : "1")
                .predictionId("p" + i)
                .servedAtMicros(T0 + i);
        p.set("x", i).set("clicks", newer ? (1L << 40) + i : i);
        if (newer) {
          p.set("emb", new float[] {i, -i});
        } else {
          p.set("gone", "old" + i);
        }
        logger.log(p);
      }
      labels.log(Label.forPrediction("p1", "click", 1, T0 + 5));
      labels.log(Label.of("hb", "heartbeat", 0, T0 + 3_600_000_000L, Map.of("hb", "1")));
      logger.flush(Duration.ofSeconds(60));
      labels.flush(Duration.ofSeconds(60));
    }
    var summary = s.run();
    assertThat(summary.counts()).containsEntry("quarantined", 0L).containsEntry("finalized", 40L);
    var table = s.read("training_evo");
    assertThat(table.schema().fieldNames()).contains("x", "clicks", "gone", "emb");
    assertThat(table.schema().apply("clicks").dataType().typeName()).isEqualTo("long");
    Row old = table.where("prediction_id = 'p2'").first();
    assertThat(old.<Object>getAs("emb")).as("a feature of v2 reads null in v1 rows").isNull();
    assertThat((long) old.getAs("clicks")).isEqualTo(2L);
    assertThat((String) old.getAs("gone")).isEqualTo("old2");
    assertThat((int) old.getAs("feature_set_version")).isEqualTo(1);
    Row newer = table.where("prediction_id = 'p3'").first();
    assertThat((long) newer.getAs("clicks")).isEqualTo((1L << 40) + 3);
    assertThat(newer.<Object>getAs("gone")).as("a dropped feature reads null").isNull();
    assertThat(Scenario.plain(newer.getAs("emb"))).isEqualTo(java.util.List.of(3f, -3f));
    assertThat((double) table.where("prediction_id = 'p1'").first().getAs("label_click"))
        .isEqualTo(1.0);
  }
}
