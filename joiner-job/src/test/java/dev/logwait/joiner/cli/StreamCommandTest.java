package dev.logwait.joiner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.JoinerJob;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stream's schedule, its progress line, and its refusals before any Spark starts. */
class StreamCommandTest {
  static final long SEC = 1_000_000_000L;

  @Test
  void theNextBatchStartsOneTriggerAfterTheLastStartedOrAtOnce() {
    Duration minute = Duration.ofMinutes(1);
    assertThat(Trigger.waitNanos(0, 10 * SEC, minute)).isEqualTo(50 * SEC);
    assertThat(Trigger.waitNanos(0, 60 * SEC, minute)).isZero();
    assertThat(Trigger.waitNanos(0, 95 * SEC, minute)).isZero(); // a long batch: no backlog
  }

  @Test
  void aBatchLineSaysWhatTheBatchDid() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("predictions_written", 2000L);
    counts.put("labels_written", 310L);
    counts.put("quarantined", 1L);
    counts.put("finalized", 1500L);
    counts.put("watermark_lag_seconds", 42L);
    JoinerJob.Summary s =
        new JoinerJob.Summary("r", counts, 1_780_000_000_000_000L, Map.of(), Map.of(), 1234);
    assertThat(BatchLine.of(7, s))
        .isEqualTo(
            "[stream] batch 7: 2,000 predictions and 310 labels ingested, 1 quarantined, 1,500"
                + " finalized; watermark 2026-05-28T20:26:40Z, lag 42 s; 1.2 s");
  }

  @Test
  void badTriggersAreRefusedBeforeSparkStarts() {
    assertThat(JoinerMain.execute("stream", "--trigger", "0s")).isEqualTo(2);
    assertThat(JoinerMain.execute("stream", "--trigger", "1ms")).isEqualTo(2);
    assertThat(JoinerMain.execute("stream", "--trigger", "soon")).isEqualTo(2);
    assertThat(JoinerMain.execute("stream", "--max-failures", "0")).isEqualTo(2);
  }
}
