package dev.logwait.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real stream in a child JVM with {@code --metrics-port} and {@code --check-every}: the metrics
 * scraped while it runs agree with its batch lines (rows ingested and finalized, batches, the
 * watermark), and each retraining check is printed, counted and recorded in {@code triggers}.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class StreamMetricsIT {
  static final Pattern BATCH =
      Pattern.compile(
          "\\[stream\\] batch (\\d+): ([\\d,]+) predictions and ([\\d,]+) labels ingested, ([\\d,]+)"
              + " quarantined, ([\\d,]+) finalized; watermark (\\S+), lag");

  @Test
  void theMetricsAgreeWithTheBatchLinesAndTheChecksAreRecorded() throws Exception {
    Scenario data = new Scenario("metrics", 2, 1, Traffic.LABELS);
    Scenario s = new Scenario(data, "m", "retrain:\n  trainer: t1\n  min-new-rows: 100\n");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    JoinerProcess stream =
        JoinerProcess.start(
            s,
            null,
            "stream",
            "--trigger",
            "2s",
            "--metrics-port",
            String.valueOf(port),
            "--check-every",
            "1s");
    try {
      Traffic.send(data, 900, 1); // while the stream runs
      await()
          .atMost(Duration.ofMinutes(4))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                assertThat(stream.process.isAlive()).as(stream.output()).isTrue();
                return totals(stream.output())[2] == 900 && stream.output().contains(": retrain:");
              });
      String before = stream.output();
      String metrics = scrape(port);
      String after = stream.output();
      long[] t = totals(after);
      assertThat(value(metrics, "logwait_rows_ingested_total{kind=\"predictions\"}"))
          .isEqualTo(t[0])
          .isGreaterThanOrEqualTo(900);
      assertThat(value(metrics, "logwait_rows_ingested_total{kind=\"labels\"}")).isEqualTo(t[1]);
      assertThat(value(metrics, "logwait_rows_finalized_total")).isEqualTo(900);
      assertThat(value(metrics, "logwait_rows_quarantined_total")).isZero();
      assertThat(value(metrics, "logwait_batches_failed_total")).isZero();
      // batches may end between the two reads of the output, never outside them
      assertThat(value(metrics, "logwait_batches_total"))
          .isBetween(batches(before), batches(after));
      assertThat(value(metrics, "logwait_batch_duration_seconds_count"))
          .isEqualTo(value(metrics, "logwait_batches_total"));
      assertThat(value(metrics, "logwait_watermark_timestamp_seconds"))
          .isCloseTo(
              Instant.parse(lastWatermark(after)).getEpochSecond(),
              org.assertj.core.data.Offset.offset(1L));
      assertThat(value(metrics, "logwait_last_finalized_timestamp_seconds"))
          .isGreaterThan(Instant.now().minus(Duration.ofMinutes(5)).getEpochSecond());
      assertThat(value(metrics, "logwait_trigger_decisions_total{decision=\"retrain\"}"))
          .isBetween(
              count(before, ": retrain: new-rows (t1)"), count(after, ": retrain: new-rows (t1)"))
          .isPositive();
      assertThat(metrics).contains("logwait_trigger_conditions_total{condition=\"new-rows\"}");
      assertThat(after).contains("[stream] metrics on http://0.0.0.0:" + port + "/metrics");

      stream.process.destroy(); // SIGTERM
      assertThat(stream.await(Duration.ofMinutes(2))).as(stream.output()).isZero();
      s.spark().catalog().refreshTable(s.table("triggers"));
      List<org.apache.spark.sql.Row> rows =
          s.spark()
              .sql(
                  "SELECT source, trainer, condition, holds, reason FROM "
                      + s.table("triggers")
                      + " WHERE condition = 'new-rows' AND holds")
              .collectAsList();
      assertThat(rows).isNotEmpty();
      assertThat(rows.get(0).getString(0)).isEqualTo("stream");
      assertThat(rows.get(0).getString(1)).isEqualTo("t1");
      assertThat(rows.get(0).getString(4)).contains("to read (no cursor yet: the whole table)");
    } finally {
      stream.kill();
    }
  }

  private static String scrape(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static long value(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Math.round(Double.parseDouble(line.substring(series.length() + 1).trim()));
      }
    }
    throw new AssertionError(series + " not in:\n" + metrics);
  }

  /** Predictions, labels and finalized rows over every batch line. */
  private static long[] totals(String output) {
    long[] t = new long[3];
    Matcher m = BATCH.matcher(output);
    while (m.find()) {
      t[0] += n(m.group(2));
      t[1] += n(m.group(3));
      t[2] += n(m.group(5));
    }
    return t;
  }

  private static long batches(String output) {
    long n = 0;
    Matcher m = BATCH.matcher(output);
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static String lastWatermark(String output) {
    String w = null;
    Matcher m = BATCH.matcher(output);
    while (m.find()) {
      w = m.group(6);
    }
    return w;
  }

  private static long count(String output, String text) {
    return output.lines().filter(l -> l.contains(text)).count();
  }

  private static long n(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }
}
