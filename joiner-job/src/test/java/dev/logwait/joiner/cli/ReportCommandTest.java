package dev.logwait.joiner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report}'s refusals of a bad candidate-policy file, before any Spark starts. */
class ReportCommandTest {
  @TempDir Path dir;

  @Test
  void aProbabilityOutsideZeroOneIsRefusedNamingItsLine() throws Exception {
    Path csv =
        csv(
            "prediction_id,action,probability\n"
                + "p1,a,0.25\n"
                + "p1,b,1.5\n"); // line 3, column 3
    Result r = report(csv);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(csv + ":3").contains("column 3").contains("1.5");
  }

  @Test
  void probabilitiesOfOnePredictionSummingPastOneAreRefusedNamingTheirLines() throws Exception {
    Path csv =
        csv(
            "prediction_id,action,probability\n"
                + "p1,a,0.5\n"
                + "p2,a,1.0\n"
                + "p1,b,0.7\n"); // p1: lines 2 and 4 sum to 1.2
    Result r = report(csv);
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains(csv.toString()).contains("p1").contains("lines 2, 4");
  }

  record Result(int exit, String err) {}

  private Path csv(String text) throws Exception {
    Path csv = dir.resolve("candidate.csv");
    Files.writeString(csv, text);
    return csv;
  }

  /** The report command on an empty warehouse: only the policy file can fail it before Spark. */
  private Result report(Path csv) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int exit =
          JoinerMain.execute(
              "report",
              "--warehouse",
              dir.resolve("warehouse").toString(),
              "--policy",
              csv.toString(),
              "--out",
              dir.resolve("report.html").toString());
      return new Result(exit, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(original);
    }
  }
}
