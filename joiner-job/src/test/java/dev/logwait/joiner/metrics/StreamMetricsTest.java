package dev.logwait.joiner.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The endpoint serves what the batches did, under the names the docs give. */
class StreamMetricsTest {
  @Test
  void aScrapeShowsTheBatchesCounts() throws Exception {
    try (StreamMetrics m = StreamMetrics.serve(0)) {
      m.batch(
          Map.of(
              "predictions_written", 1200L,
              "labels_written", 300L,
              "quarantined", 2L,
              "finalized", 1100L,
              "watermark_lag_seconds", 61L),
          1_780_000_000_000_000L,
          3_400);
      m.batch(Map.of("predictions_written", 10L, "finalized", 0L), 1_780_000_060_000_000L, 600);
      m.failedBatch(900);
      m.upkeep(true);
      m.decision(true, List.of("new-rows (t)"));
      m.decision(false, List.of());
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body())
          .contains(
              "logwait_rows_ingested_total{kind=\"predictions\"} 1210.0",
              "logwait_rows_ingested_total{kind=\"labels\"} 300.0",
              "logwait_rows_quarantined_total 2.0",
              "logwait_rows_finalized_total 1100.0",
              "logwait_watermark_lag_seconds 61.0",
              "logwait_watermark_timestamp_seconds 1.78000006E9",
              "logwait_batches_total 3.0",
              "logwait_batches_failed_total 1.0",
              "logwait_batches_failed_in_a_row 1.0",
              "logwait_batch_duration_seconds_count 3",
              "logwait_batch_duration_seconds_sum 4.9",
              "logwait_upkeep_total 1.0",
              "logwait_trigger_decisions_total{decision=\"retrain\"} 1.0",
              "logwait_trigger_decisions_total{decision=\"none\"} 1.0",
              "logwait_trigger_conditions_total{condition=\"new-rows\"} 1.0")
          .containsPattern("logwait_last_finalized_timestamp_seconds 1\\.[0-9]+E9")
          .containsPattern("logwait_last_upkeep_timestamp_seconds 1\\.[0-9]+E9");
    }
  }

  @Test
  void aPortInUseIsRefusedByName() {
    try (StreamMetrics m = StreamMetrics.serve(0)) {
      assertThatThrownBy(() -> StreamMetrics.serve(m.port()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("--metrics-port " + m.port() + ": cannot listen")
          .hasMessageContaining("pick a free port");
    }
  }
}
