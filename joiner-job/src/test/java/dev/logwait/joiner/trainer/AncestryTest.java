package dev.logwait.joiner.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logwait.joiner.config.ConfigException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A model's ancestry from the cursor moves. */
class AncestryTest {
  static final Instant T = Instant.parse("2026-11-04T00:00:00Z");

  @Test
  void followsEachModelToItsBaseAndSkipsOtherMoves() {
    List<Cursor> history =
        List.of(
            move("ft", "m-1", null, null, 10, 1200),
            move("other", "x-1", null, null, 10, 1200),
            move("ft", "m-2", "m-1", 10L, 20, 800),
            new Cursor("ft", "training_t", 30, T, 0, null, null, T, 20L, Cursor.DISCARD),
            move("ft", "m-3", "m-2", 30L, 40, 300));
    List<Cursor> chain = Ancestry.of("m-3", history);
    assertThat(chain).extracting(Cursor::modelVersion).containsExactly("m-3", "m-2", "m-1");
    assertThat(Ancestry.text(chain))
        .contains(
            "m-3 <- m-2: trainer ft on training_t, snapshots after 30 through 40, 300 rows",
            "m-1 <- (scratch): trainer ft on training_t, snapshots from the start through 10,"
                + " 1,200 rows",
            "m-3: 3 fine-tunes, 2,300 rows in all");
  }

  @Test
  void aBaseTrainedElsewhereEndsTheChainByName() {
    List<Cursor> chain = Ancestry.of("m-1", List.of(move("ft", "m-1", "ranker-2", null, 10, 5)));
    assertThat(Ancestry.text(chain))
        .contains("ranker-2: not produced by a cursor commit (trained elsewhere)");
  }

  @Test
  void anUnknownModelIsRefusedByName() {
    assertThatThrownBy(() -> Ancestry.of("nope", List.of(move("ft", "m-1", null, null, 1, 1))))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "no cursor commit produced model nope; `cursor list` shows the models committed");
  }

  @Test
  void aCycleOfVersionsEnds() {
    List<Cursor> history =
        List.of(move("ft", "a", "b", null, 1, 1), move("ft", "b", "a", 1L, 2, 1));
    assertThat(Ancestry.of("a", history)).hasSize(2);
  }

  private static Cursor move(
      String trainer, String model, String base, Long after, long to, long rows) {
    return new Cursor(trainer, "training_t", to, T, rows, model, base, T, after, Cursor.TRAINER);
  }
}
