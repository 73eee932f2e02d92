package dev.logwait.logger.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How the worker sleeps when it has nothing to do, and how anyone who gives it work wakes it. A
 * caller pays one volatile read per record while the worker is awake, and an unpark only for the
 * record that finds it asleep (the worker announces its sleep, then looks for work once more, so
 * that a record offered meanwhile is never left waiting: both sides write, then read, volatile
 * fields).
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

  /** The thread that sleeps here; set once, before anyone rings. */
  void attach(Thread worker) {
    this.worker = worker;
  }

  /** Any thread: wakes the worker if it sleeps; otherwise a volatile read and nothing more. */
  void ring() {
    if (sleeping && SLEEPING.compareAndSet(this, true, false)) {
      LockSupport.unpark(worker);
    }
  }

  /** Any thread: wakes the worker whatever it does (flush, close: rare, and never on a request). */
  void ringNow() {
    sleeping = false;
    Thread w = worker;
    if (w != null) {
      LockSupport.unpark(w);
    }
  }

  /** Whether the worker sleeps now (for tests). */
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
