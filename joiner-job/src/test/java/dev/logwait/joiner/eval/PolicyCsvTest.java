package dev.logwait.joiner.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.joiner.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The candidate-policy file's checks: what passes, and what each refusal names. */
class PolicyCsvTest {
  @TempDir Path dir;

  @Test
  void aGoodFileIsSummarized() throws Exception {
    Path f =
        write(
            "prediction_id,action,probability\n"
                + "p1,a,0.25\n"
                + "p1,b,0.75\n"
                + "\n"
                + "\"p2\",\"a\",1\r\n"
                + "p3,a,0.3333333333\n"
                + "p3,b,0.3333333333\n"
                + "p3,c,0.3333333334\n");
    assertThat(PolicyCsv.check(f)).isEqualTo(new PolicyCsv.Summary(6, 3));
  }

  @Test
  void probabilitiesOutsideZeroOneOrNotNumbersAreRefusedByLineAndColumn() throws Exception {
    Path f =
        write(
            "prediction_id,action,probability\n"
                + "p1,a,-0.1\n"
                + "p2,a,1.0000001\n"
                + "p3,a,NaN\n"
                + "p4,a,half\n"
                + "p5,a,\n");
    assertThatThrownBy(() -> PolicyCsv.check(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--policy " + f + ": 5 problems, nothing evaluated:")
        .hasMessageContaining(f + ":2: column 3 (probability) -0.1 is outside [0, 1]")
        .hasMessageContaining(f + ":3: column 3 (probability) 1.0000001 is outside [0, 1]")
        .hasMessageContaining(f + ":4: column 3 (probability) NaN is outside [0, 1]")
        .hasMessageContaining(f + ":5: column 3 (probability) 'half' is not a number")
        .hasMessageContaining(f + ":6: column 3 (probability) '' is not a number");
  }

  @Test
  void aPredictionWhoseProbabilitiesSumPastOneIsRefusedNamingItsLines() throws Exception {
    Path f =
        write(
            "prediction_id,action,probability\n"
                + "p1,a,0.6\n"
                + "p2,a,0.5\n"
                + "p1,b,0.6\n"
                + "p2,b,0.5\n");
    assertThatThrownBy(() -> PolicyCsv.check(f))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("1 problem,")
        .hasMessageContaining(f + ": lines 2, 4: the probabilities of prediction p1 sum to 1.2")
        .hasMessageContaining("more than 1");
  }

  @Test
  void anActionGivenTwiceForOnePredictionIsRefused() throws Exception {
    Path f = write("prediction_id,action,probability\np1,a,0.1\np1,a,0.1\n");
    assertThatThrownBy(() -> PolicyCsv.check(f))
        .hasMessageContaining(f + ":3: action a of prediction p1 is given again (first on line 2)");
  }

  @Test
  void malformedLinesAndHeadersAreRefused() throws Exception {
    Path header = write("id,action,p\np1,a,1\n");
    assertThatThrownBy(() -> PolicyCsv.check(header))
        .hasMessageContaining(
            header + ":1: the header is 'id,action,p'; a policy file starts with " + HEADER);
    Path fields = write(HEADER + "\np1,a\np2,a,0.5,x\n,a,0.5\np3,,0.5\n\"p,4\",a,0.5\n");
    assertThatThrownBy(() -> PolicyCsv.check(fields))
        .hasMessageContaining(fields + ":2: 2 fields, expected 3 (" + HEADER + ")")
        .hasMessageContaining(fields + ":3: 4 fields, expected 3")
        .hasMessageContaining(fields + ":4: column 1 (prediction_id) is empty")
        .hasMessageContaining(fields + ":5: column 2 (action) is empty")
        .hasMessageContaining(fields + ":6: 4 fields");
    Path empty = write(HEADER + "\n");
    assertThatThrownBy(() -> PolicyCsv.check(empty))
        .hasMessageContaining("no row after the header");
    assertThatThrownBy(() -> PolicyCsv.check(dir.resolve("missing.csv")))
        .hasMessage("--policy " + dir.resolve("missing.csv") + ": no such readable file");
  }

  @Test
  void manyProblemsAreListedUpToTenAndCounted() throws Exception {
    StringBuilder csv = new StringBuilder(HEADER + "\n");
    for (int i = 0; i < 25; i++) {
      csv.append("p").append(i).append(",a,2\n");
    }
    Path f = write(csv.toString());
    assertThatThrownBy(() -> PolicyCsv.check(f))
        .hasMessageContaining("25 problems")
        .hasMessageContaining(f + ":11:")
        .hasMessageNotContaining(f + ":12:")
        .hasMessageEndingWith("… and 15 more");
  }

  private static final String HEADER = PolicyCsv.HEADER;

  private Path write(String text) throws Exception {
    Path f = Files.createTempFile(dir, "policy", ".csv");
    Files.writeString(f, text);
    return f;
  }
}
