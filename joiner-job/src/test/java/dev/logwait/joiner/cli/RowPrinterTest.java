package dev.logwait.joiner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.LocalSparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RowPrinterTest extends LocalSparkTest {
  @Test
  void jsonKeepsTheMicrosecondsEveryTimestampCarries() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RowPrinter.printRows(
        spark.sql(
            "SELECT 'p1' AS prediction_id, timestamp_micros(1780000000123456) AS served_at,"
                + " map('k', 1L) AS counts"),
        "json",
        10,
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertThat(bytes.toString(StandardCharsets.UTF_8).trim())
        .isEqualTo(
            "{\"prediction_id\":\"p1\",\"served_at\":\"2026-05-28T20:26:40.123456Z\","
                + "\"counts\":{\"k\":1}}");
  }

  @Test
  void aResultCutByTheLimitSaysSoOnStderrInEveryFormat() {
    for (String format : new String[] {"table", "csv", "json"}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      RowPrinter.printRows(
          spark.range(5).toDF(),
          format,
          3,
          new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      assertThat(out.toString(StandardCharsets.UTF_8))
          .as(format)
          .containsPattern("(?m)(^2$|\"id\":2)")
          .doesNotContainPattern("(?m)(^3$|\"id\":3)");
      assertThat(err.toString(StandardCharsets.UTF_8))
          .as(format)
          .isEqualTo("(first 3 rows; --limit N for more)" + System.lineSeparator());

      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      RowPrinter.printRows(
          spark.range(3).toDF(),
          format,
          3,
          new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
          new PrintStream(whole, true, StandardCharsets.UTF_8));
      assertThat(whole.toString(StandardCharsets.UTF_8)).as(format).isEmpty();
    }
  }
}
