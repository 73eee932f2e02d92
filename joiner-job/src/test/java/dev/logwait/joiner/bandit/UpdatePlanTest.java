package dev.logwait.joiner.bandit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logwait.joiner.bandit.UpdatePlan.Kind;
import dev.logwait.joiner.bandit.UpdatePlan.Step;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which snapshots a router's update reads, and when it computes from the whole table. */
class UpdatePlanTest {
  private static final String SPEC = "v1 table=training_t";

  private static RouterState at(long snapshot, Long wm) {
    return new RouterState(
        "r", "training_t", snapshot, wm, SPEC, Statistics.EMPTY, 0, "run", false);
  }

  private static UpdatePlan decide(RouterState last, Step... newestFirst) {
    return UpdatePlan.decide(
        last, SPEC, newestFirst[0].snapshotId(), 50L, false, List.of(newestFirst));
  }

  private static Step append(long id) {
    return new Step(id, "append");
  }

  @Test
  void aStateAtTheCurrentSnapshotIsPublishedAsItIs() {
    UpdatePlan p = decide(at(3, 40L), append(3), append(2));
    assertThat(p.kind()).isEqualTo(Kind.PUBLISH);
    assertThat(p.to()).isEqualTo(3);
  }

  @Test
  void onlyAppendsAndRewritesInBetweenReadTheAppendedRows() {
    UpdatePlan p = decide(at(2, 40L), append(5), new Step(4, "replace"), append(3), append(2));
    assertThat(p.kind()).isEqualTo(Kind.INCREMENT);
    assertThat(p.fromExclusive()).isEqualTo(2);
    assertThat(p.to()).isEqualTo(5);
    // a change of rows before the state's snapshot was counted already
    assertThat(decide(at(2, 40L), append(3), append(2), new Step(1, "overwrite")).kind())
        .isEqualTo(Kind.INCREMENT);
  }

  @Test
  void aRestatementADiscardOrAnErasureInBetweenRecomputes() {
    for (String op : List.of("overwrite", "delete")) {
      UpdatePlan p = decide(at(2, 40L), append(4), new Step(3, op), append(2));
      assertThat(p.kind()).as(op).isEqualTo(Kind.RECOMPUTE);
      assertThat(p.reason())
          .isEqualTo(
              "snapshot 3 (" + op + ") changed or removed rows: a restatement, discard or erasure");
    }
  }

  @Test
  void aStateWhoseSnapshotLeftTheHistoryRecomputes() {
    UpdatePlan p = decide(at(1, 40L), append(4), append(3)); // 1 expired, or rolled back
    assertThat(p.kind()).isEqualTo(Kind.RECOMPUTE);
    assertThat(p.reason()).contains("snapshot 1 of the state is no longer in the table's history");
  }

  @Test
  void noStateOrAnotherConfigurationRecomputes() {
    assertThat(decide(null, append(4)).reason()).isEqualTo("no state yet");
    RouterState other =
        new RouterState("r", "training_t", 3, 40L, "v1 other", Statistics.EMPTY, 0, "run", false);
    UpdatePlan p = decide(other, append(3));
    assertThat(p.kind()).isEqualTo(Kind.RECOMPUTE);
    assertThat(p.reason()).isEqualTo("the router's configuration changed");
  }

  @Test
  void aDecayingRouterWithoutWatermarksRecomputes() {
    UpdatePlan p =
        UpdatePlan.decide(at(2, null), SPEC, 3, 50L, true, List.of(append(3), append(2)));
    assertThat(p.kind()).isEqualTo(Kind.RECOMPUTE);
    assertThat(p.reason()).isEqualTo("no label watermark to decay the kept sums by");
    assertThat(
            UpdatePlan.decide(at(2, 40L), SPEC, 3, 50L, true, List.of(append(3), append(2))).kind())
        .isEqualTo(Kind.INCREMENT);
  }

  @Test
  void theHistoryIsReadOnlyDownToTheStatesSnapshot() {
    List<Long> read = new ArrayList<>();
    Iterable<Step> history =
        () ->
            java.util.stream.LongStream.iterate(100, i -> i - 1)
                .limit(100)
                .peek(read::add)
                .mapToObj(UpdatePlanTest::append)
                .iterator();
    UpdatePlan p = UpdatePlan.decide(at(97, 1L), SPEC, 100, 2L, false, history);
    assertThat(p.kind()).isEqualTo(Kind.INCREMENT);
    assertThat(read).containsExactly(100L, 99L, 98L, 97L);
  }
}
