package dev.logwait.logger.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How the worker parks when it has nothing to do, and how whoever gives it work wakes it early.
 * Anyone may ring: {@link #ring()} is one volatile read while the worker is awake, and an unpark
 * only when it parks. The worker announces its park, then looks for work once more, so that work
 * given just before the announcement (when a ring would find nobody to wake) is not left waiting
 * for the park to end: both sides write, then read, volatile fields.
 */
final class Doorbell {
  private static final VarHandle SLEEPING;

  static {
    try {
      SLEEPING = MethodHandles.lookup().findVarHandle(Doorbell.class, "sleeping", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private volatile boolean sleeping; // compared and set through SLEEPING

  private volatile Thread worker;
  private final AtomicLong rings = new AtomicLong(); // unparks, rare: for tests

  /** The thread that sleeps here; set once, before anyone rings. */
  void attach(Thread worker) {
    this.worker = worker;
  }

  /** Any thread: wakes the worker if it sleeps; otherwise a volatile read and nothing more. */
  void ring() {
    if (sleeping && SLEEPING.compareAndSet(this, true, false)) {
      rings.incrementAndGet();
      LockSupport.unpark(worker);
    }
  }

  /** How many times {@link #ring()} woke the worker (for tests). */
  long rings() {
    return rings.get();
  }

  /** Any thread: wakes the worker whatever it does (flush, close: rare, never a request's ring). */
  void ringNow() {
    sleeping = false;
    Thread w = worker;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  /** Whether the worker parks now. */
  boolean isSleeping() {
    return sleeping;
  }

  /**
   * The worker: sleeps up to {@code nanos}, unless {@code workArrived} says, once the sleep is
   * announced, that there is work after all. Returns early when rung (or spuriously).
   */
  void sleep(long nanos, BooleanSupplier workArrived) {
    sleeping = true;
    if (!workArrived.getAsBoolean()) {
      LockSupport.parkNanos(this, nanos);
    }
    sleeping = false;
  }
}
