package dev.logwait.logger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

/** The cluster probe on a clock the test moves, with questions the test answers. */
class ClusterProbeTest {
  private final AtomicLong now = new AtomicLong(5_000_000_000L);
  private final AtomicInteger settled = new AtomicInteger();

  /** Hands out one future per question; closing is counted. */
  static final class Questions implements ClusterProbe.Question {
    final List<KafkaFutureImpl<Void>> asked = new ArrayList<>();
    RuntimeException throwOnAsk;
    int closed;

    @Override
    public KafkaFuture<?> ask() {
      if (throwOnAsk != null) {
        throw throwOnAsk;
      }
      KafkaFutureImpl<Void> f = new KafkaFutureImpl<>();
      asked.add(f);
      return f;
    }

    @Override
    public void close() {
      closed++;
    }

    KafkaFutureImpl<Void> last() {
      return asked.get(asked.size() - 1);
    }
  }

  private final Questions questions = new Questions();
  private final ClusterProbe probe =
      new ClusterProbe(questions, "schemas", "test", now::get, settled::incrementAndGet);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aQuestionThatTimesOutIsAskedAgainAfterABackOffThatDoubles() {
    assertThat(probe.answered()).isFalse();
    assertThat(questions.asked).hasSize(1);
    assertThat(probe.nextAskInNanos())
        .as("a request is out: its answer rings")
        .isEqualTo(Long.MAX_VALUE);
    questions.last().completeExceptionally(new TimeoutException("no answer (test)"));
    assertThat(settled.get()).as("the completion rang").isEqualTo(1);

    assertThat(probe.answered()).isFalse();
    assertThat(probe.lastFailure()).contains("no answer (test)");
    assertThat(probe.nextAskInNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
    advance(Duration.ofMillis(999));
    assertThat(probe.answered()).isFalse();
    assertThat(questions.asked).as("not before the back-off").hasSize(1);
    advance(Duration.ofMillis(1));
    assertThat(probe.answered()).isFalse();
    assertThat(questions.asked).hasSize(2);

    questions.last().completeExceptionally(new TimeoutException("still nothing (test)"));
    assertThat(probe.answered()).isFalse();
    assertThat(probe.nextAskInNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
    advance(Duration.ofSeconds(2));
    assertThat(probe.answered()).isFalse();
    assertThat(questions.asked).hasSize(3);

    questions.last().complete(null);
    assertThat(probe.answered()).isTrue();
    assertThat(probe.hasAnswered()).isTrue();
    assertThat(probe.lastFailure()).isNull();
    assertThat(probe.nextAskInNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(questions.closed).as("the admin client is closed once answered").isEqualTo(1);
    assertThat(probe.answered()).isTrue();
    assertThat(questions.asked).hasSize(3);
  }

  @Test
  void aCreationRefusedOrAlreadyDoneIsAnAnswer() {
    probe.answered();
    questions.last().completeExceptionally(new TopicExistsException("exists (test)"));
    assertThat(probe.answered()).isTrue();

    Questions other = new Questions();
    ClusterProbe refused = new ClusterProbe(other, "schemas", "test", now::get, () -> {});
    refused.answered();
    other.last().completeExceptionally(new PolicyViolationException("not allowed (test)"));
    assertThat(refused.answered()).as("the cluster answered, and refused").isTrue();
  }

  @Test
  void aQuestionThatCannotBeAskedIsAskedAgainAfterTheBackOff() {
    questions.throwOnAsk = new KafkaException("no resolvable bootstrap urls (test)");
    assertThat(probe.answered()).isFalse();
    assertThat(probe.lastFailure()).contains("no resolvable bootstrap urls (test)");
    assertThat(probe.nextAskInNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
    questions.throwOnAsk = null;
    advance(Duration.ofSeconds(1));
    assertThat(probe.answered()).isFalse();
    questions.last().complete(null);
    assertThat(probe.answered()).isTrue();
  }
}
