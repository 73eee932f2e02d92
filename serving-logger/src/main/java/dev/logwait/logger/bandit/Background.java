package dev.logwait.logger.bandit;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's one daemon thread: reads the posterior topic when the router has one, and checks the
 * current posterior's age every round (so that a router fed through {@code update} falls back too
 * when its feed stops). Everything slow a router does happens here or in {@code update}, never on a
 * request thread.
 */
final class Background implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Background.class);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

  private final RouterSettings settings;
  private final Policy policy;
  private final PosteriorReader reader; // null: posteriors come through update()
  private final Thread thread;
  private volatile boolean running = true;

  Background(RouterSettings settings, Policy policy) {
    this.settings = settings;
    this.policy = policy;
    this.reader =
        settings.bootstrapServers() == null ? null : new PosteriorReader(settings, policy);
    this.thread = new Thread(this::run, "logwait-router-" + settings.name());
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    try {
      while (running) {
        try {
          if (reader != null) {
            reader.pollOnce(settings.tick());
          } else {
            LockSupport.parkNanos(this, settings.tick().toNanos());
          }
          policy.checkAge();
        } catch (RuntimeException e) { // the thread must outlive any one bad round
          policy.readerError();
          LOG.warn("logwait router {}: background round failed", settings.name(), e);
          LockSupport.parkNanos(this, settings.tick().toNanos());
        }
      }
    } finally {
      if (reader != null) {
        reader.close();
      }
    }
  }

  /** Stops the thread and closes the reader; waits for both. */
  @Override
  public void close() {
    running = false;
    if (reader != null) {
      reader.wakeup();
    }
    LockSupport.unpark(thread);
    try {
      thread.join(JOIN_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
