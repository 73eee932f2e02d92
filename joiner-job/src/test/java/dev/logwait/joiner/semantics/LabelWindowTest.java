package dev.logwait.joiner.semantics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.LocalSparkTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * docs/design.md: "A label event counts for a prediction when its key matches and {@code served_at
 * <= occurred_at < served_at + window}" — the plain rule and the Spark column the join evaluates.
 */
class LabelWindowTest extends LocalSparkTest {
  static final long SERVED = 1_000_000_000L;
  static final long WINDOW = TimeUnit.MICROSECONDS.convert(Duration.ofMinutes(30));

  @Test
  void anEventAtServingCountsOneAtTheWindowsEndDoesNotNorOneBeforeServing() {
    assertThat(LabelWindow.contains(SERVED, SERVED, WINDOW)).isTrue();
    assertThat(LabelWindow.contains(SERVED, SERVED + WINDOW - 1, WINDOW)).isTrue();
    assertThat(LabelWindow.contains(SERVED, SERVED + WINDOW, WINDOW)).isFalse();
    assertThat(LabelWindow.contains(SERVED, SERVED - 1, WINDOW))
        .as("label before serving")
        .isFalse();
  }

  @Test
  void theColumnTheJoinUsesAgrees() {
    List<Long> occurred = List.of(SERVED - 1, SERVED, SERVED + WINDOW - 1, SERVED + WINDOW);
    List<Boolean> counted =
        spark
            .createDataset(occurred, Encoders.LONG())
            .select(
                LabelWindow.contains(functions.lit(SERVED), functions.col("value"), WINDOW)
                    .as("in"))
            .as(Encoders.BOOLEAN())
            .collectAsList();
    assertThat(counted).containsExactly(false, true, true, false);
    for (int i = 0; i < occurred.size(); i++) {
      assertThat(LabelWindow.contains(SERVED, occurred.get(i), WINDOW)).isEqualTo(counted.get(i));
    }
  }
}
