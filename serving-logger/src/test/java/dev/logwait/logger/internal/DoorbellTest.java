package dev.logwait.logger.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker's sleep and its doorbell, each interleaving of a caller and the worker played in order
 * on the test thread (the worker) and a ringer. A lost wake-up shows as an hour's sleep, cut short
 * by the timeout.
 */
@Timeout(30)
class DoorbellTest {
  static final long HOUR = Duration.ofHours(1).toNanos();

  private final Doorbell bell = new Doorbell();

  @BeforeEach
  void attachTheTestThreadAsTheWorker() {
    bell.attach(Thread.currentThread());
    LockSupport.parkNanos(1); // takes a permit an earlier test may have left
  }

  @Test
  void aRecordOfferedJustBeforeTheWorkerAnnouncedItsSleepIsFoundAfterTheAnnouncement() {
    bell.ring(); // the caller's ring: the worker is not asleep yet, so nobody is unparked
    long t0 = System.nanoTime();
    bell.sleep(HOUR, () -> true); // the worker looks again once its sleep is announced
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(bell.isSleeping()).isFalse();
  }

  @Test
  void aRingWhileTheWorkerSleepsWakesIt() {
    Thread ringer =
        new Thread(
            () -> {
              await().atMost(Duration.ofSeconds(10)).until(bell::isSleeping);
              bell.ring();
            });
    ringer.start();
    long t0 = System.nanoTime();
    bell.sleep(HOUR, () -> false);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(15));
    assertThat(bell.isSleeping()).isFalse();
  }

  @Test
  void aRingWhileTheWorkerIsAwakeLeavesNothingBehind() {
    bell.ring(); // a caller while the worker works: one volatile read, no unpark
    long t0 = System.nanoTime();
    bell.sleep(Duration.ofMillis(50).toNanos(), () -> false);
    assertThat(Duration.ofNanos(System.nanoTime() - t0))
        .as("no permit was left to cut the next sleep short")
        .isGreaterThanOrEqualTo(Duration.ofMillis(50));
  }
}
