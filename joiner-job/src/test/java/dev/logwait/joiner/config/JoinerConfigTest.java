package dev.logwait.joiner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration: embedded defaults, and bad configurations that say what to fix. */
class JoinerConfigTest {
  private final LabelSpec click =
      new LabelSpec(
          "click", Duration.ofMinutes(30), Aggregation.EXISTS, 0.0, List.of("prediction_id"));

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
