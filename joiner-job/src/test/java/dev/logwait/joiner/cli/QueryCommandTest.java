package dev.logwait.joiner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.LocalSparkTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code query} on a warehouse that holds no logwait tables yet. */
class QueryCommandTest extends LocalSparkTest {
  @TempDir Path warehouse;

  @Test
  void aQueryThatReadsNoTableWorksAndOneThatDoesSaysWhatToRunFirst() {
    PrintStream stdout = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      String[] common = {"--warehouse", warehouse.toString(), "--set", "catalog.name=fresh"};
      assertThat(JoinerMain.execute(concat(common, "SELECT 1 + 1 AS two"))).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).contains("two").contains("2");
      assertThat(JoinerMain.execute(concat(common, "SELECT * FROM runs"))).isEqualTo(1);
    } finally {
      System.setOut(stdout);
    }
  }

  private static String[] concat(String[] common, String sql) {
    String[] all = new String[common.length + 2];
    all[0] = "query";
    System.arraycopy(common, 0, all, 1, common.length);
    all[all.length - 1] = sql;
    return all;
  }
}
