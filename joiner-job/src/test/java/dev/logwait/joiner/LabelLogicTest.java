package dev.logwait.joiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.joiner.config.Aggregation;
import dev.logwait.joiner.config.ConfigException;
import dev.logwait.joiner.config.ConfigKey;
import dev.logwait.joiner.config.JoinerConfig;
import dev.logwait.joiner.config.LabelSpec;
import dev.logwait.joiner.join.LabelWatermark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelLogicTest {
  private final LabelSpec click =
      new LabelSpec(
          "click", Duration.ofMinutes(30), Aggregation.EXISTS, 0.0, List.of("prediction_id"));

  @Test
  void windowIncludesServingTimeAndExcludesItsEnd() {
    long served = 1_000_000_000L;
    long window = Duration.ofMinutes(30).toNanos() / 1000;
    assertThat(click.inWindow(served, served)).isTrue();
    assertThat(click.inWindow(served, served + window - 1)).isTrue();
    assertThat(click.inWindow(served, served + window)).isFalse();
    assertThat(click.inWindow(served, served - 1)).as("label before serving").isFalse();
  }

  @Test
  void watermarkIsTheSlowestPartitionMinusLateness() {
    LabelWatermark.Result r =
        LabelWatermark.compute(
            Map.of("0", 10_000_000L, "1", 7_000_000L), List.of(0, 1), Duration.ofSeconds(2));
    assertThat(r.micros()).isEqualTo(5_000_000L);
  }

  @Test
  void aPartitionWithoutEventsHoldsEveryWindowOpen() {
    LabelWatermark.Result r =
        LabelWatermark.compute(Map.of("0", 10_000_000L), List.of(0, 1, 2), Duration.ZERO);
    assertThat(r.known()).isFalse();
    assertThat(r.partitionsWithoutEvents()).containsExactly(1, 2);
    assertThat(LabelWatermark.compute(Map.of(), List.of(), Duration.ZERO).known()).isFalse();
  }

  @Test
  void finalizedOnlyWhenTheLongestWindowHasClosed() {
    Duration w = Duration.ofSeconds(10);
    assertThat(LabelWatermark.finalized(0, w, 10_000_000L)).isTrue();
    assertThat(LabelWatermark.finalized(1, w, 10_000_000L)).isFalse();
  }

  @Test
  void defaultsAreValidAndNameTheirKeys() {
    JoinerConfig c = JoinerConfig.defaults();
    assertThat(c.get(ConfigKey.PREDICTIONS_TOPIC)).isEqualTo("logwait-predictions");
    assertThat(c.labels()).containsExactly(click);
    assertThat(c.table("runs")).isEqualTo("logwait.logwait.runs");
    assertThat(ConfigKey.reference()).contains("`kafka.bootstrap-servers`", "`labels[]`");
  }

  @Test
  void badConfigurationsSayWhatToFix(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(
        f,
        "kafka:\n  predictions-topic: same\n  labels-topic: same\n  bogus: 1\n"
            + "allowed-lateness: soon\nnamespace: Bad-Name\nlabels:\n"
            + "  - name: click\n    window: 30m\n    aggregation: avg\n"
            + "  - name: buy\n    window: 0s\n"
            + "  - name: ship\n    window: 1h\n    join-keys: [prediction_id, order_id]\n");
    assertThatThrownBy(() -> JoinerConfig.load(f, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown key 'kafka.bogus'")
        .hasMessageContaining("Cannot set both kafka.predictions-topic and kafka.labels-topic")
        .hasMessageContaining("allowed-lateness: 'soon' is not a duration")
        .hasMessageContaining("namespace: 'Bad-Name' must be lower-case")
        .hasMessageContaining("labels[0].aggregation: 'avg' is not an aggregation")
        .hasMessageContaining("labels[1].window: must be longer than zero")
        .hasMessageContaining("labels[2].join-keys: prediction_id cannot be combined");
    assertThatThrownBy(() -> JoinerConfig.load(dir.resolve("missing.yaml"), Map.of()))
        .hasMessageContaining("--config: no such file");
    assertThatThrownBy(() -> JoinerConfig.load(null, Map.of("spark.shuffle-partitions", "x")))
        .hasMessageContaining("spark.shuffle-partitions: must be a whole number");
  }
}
