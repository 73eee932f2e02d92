package dev.logwait.bench;

import dev.logwait.logger.Prediction;
import dev.logwait.logger.PredictionLogger;
import dev.logwait.schema.FeatureSet;
import dev.logwait.testkit.KafkaBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * What an idle logger costs its service: for each scenario a logger is built, given a little work,
 * left idle for a window, and its worker thread's wake-ups (the kernel's context switches of that
 * thread, {@code /proc/self/task/<tid>/status}) and CPU time ({@code ThreadMXBean}) are read before
 * and after, with the process's CPU time. A window with no logger at all gives the JVM's own floor.
 * Only the public API and Linux's counters are used, so that the same program measures any version
 * of the logger.
 *
 * <p>Scenarios: a running broker (100 predictions sent and flushed first), the same with a spool; a
 * closed port without a spool (no record: each would hold the worker for {@code max.block.ms}), and
 * a closed port with a spool (100 predictions spooled first, so the spool holds records while Kafka
 * is down). Then, on the running broker, the cost of {@code log()} for a caller that finds the
 * worker idle: 200 calls 20 ms apart, each timed alone.
 *
 * <p>{@code LoggerIdle [seconds=30]}; Linux only (reads /proc).
 */
public final class LoggerIdle {
  private static final String CLIENT_ID = "idle";
  // Linux keeps 15 characters of a thread's name: "logwait-logger-idle" reads "logwait-logger-".
  private static final String WORKER_COMM = "logwait-logger-";
  private static final FeatureSet SET = Features.set(20, false);

  private LoggerIdle() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    Duration window = Duration.ofSeconds(seconds);
    System.out.printf("idle window %d s; per second of the window:%n%n", seconds);
    System.out.printf(
        "%-22s %16s %16s %18s%n", "scenario", "worker wake-ups", "worker CPU ms", "process CPU ms");
    print("no logger (JVM floor)", idle(null, window));
    try (KafkaBroker broker = KafkaBroker.start(Files.createTempDirectory("bench-idle-kafka"))) {
      broker.createTopics(1, "idle-preds");
      try (PredictionLogger logger = logger(broker.bootstrapServers(), null)) {
        sendAndFlush(logger);
        print("broker", idle(logger, window));
        callerCostAfterIdle(logger);
      }
      try (PredictionLogger logger = logger(broker.bootstrapServers(), spoolDir())) {
        sendAndFlush(logger);
        print("broker, spool", idle(logger, window));
      }
    }
    String closed = "127.0.0.1:" + closedPort();
    try (PredictionLogger logger = logger(closed, null)) {
      print("closed port", idle(logger, window));
    }
    try (PredictionLogger logger = logger(closed, spoolDir())) {
      for (int i = 0; i < 100; i++) {
        logger.log(prediction(logger, i));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (logger.stats().spooled() < 100 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      System.out.printf("  (spooled %d of 100)%n", logger.stats().spooled());
      print("closed port, spool", idle(logger, window));
    }
  }

  private static PredictionLogger logger(String bootstrap, Path spool) {
    PredictionLogger.Builder b =
        PredictionLogger.builder()
            .bootstrapServers(bootstrap)
            .clientId(CLIENT_ID)
            .topic("idle-preds")
            .schemasTopic("idle-schemas");
    if (spool != null) {
      b.spool(spool, 64L << 20);
    }
    return b.build();
  }

  private static Path spoolDir() throws IOException {
    return Files.createTempDirectory("bench-idle-spool");
  }

  private static Prediction prediction(PredictionLogger logger, int i) {
    Prediction p = logger.prediction(SET, "idle-model", "1");
    for (int k = 0; k < 20; k++) {
      p.set(k, i + k);
    }
    return p.score(0.5);
  }

  private static void sendAndFlush(PredictionLogger logger) {
    for (int i = 0; i < 100; i++) {
      logger.log(prediction(logger, i));
    }
    if (!logger.flush(Duration.ofSeconds(60))) {
      throw new IllegalStateException("the broker did not take 100 records in 60 s");
    }
  }

  /** Counters of one window, per second. */
  private record Rates(double wakeups, double workerCpuMs, double processCpuMs) {}

  private static void print(String scenario, Rates r) {
    System.out.printf(
        "%-22s %16.1f %16.3f %18.2f%n", scenario, r.wakeups, r.workerCpuMs, r.processCpuMs);
  }

  /** Settles for 2 s after the last work, then reads the counters around the window. */
  private static Rates idle(PredictionLogger logger, Duration window) throws Exception {
    Thread.sleep(2_000);
    Path task = logger == null ? null : workerTask();
    long javaId = logger == null ? -1 : workerThreadId();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long switches0 = task == null ? 0 : contextSwitches(task);
    long cpu0 = javaId < 0 ? 0 : threads.getThreadCpuTime(javaId);
    long process0 = processCpuNanos();
    long t0 = System.nanoTime();
    Thread.sleep(window.toMillis());
    long elapsed = System.nanoTime() - t0;
    long process1 = processCpuNanos();
    long cpu1 = javaId < 0 ? 0 : threads.getThreadCpuTime(javaId);
    long switches1 = task == null ? 0 : contextSwitches(task);
    double s = elapsed / 1e9;
    return new Rates(
        (switches1 - switches0) / s, (cpu1 - cpu0) / 1e6 / s, (process1 - process0) / 1e6 / s);
  }

  /** A caller's log() when the worker has been idle: 200 calls 20 ms apart, each timed alone. */
  private static void callerCostAfterIdle(PredictionLogger logger) throws Exception {
    int calls = 200;
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      Prediction p = prediction(logger, i);
      Thread.sleep(20);
      long t0 = System.nanoTime();
      logger.log(p);
      nanos[i] = System.nanoTime() - t0;
    }
    logger.flush(Duration.ofSeconds(30));
    Arrays.sort(nanos);
    System.out.printf(
        "%n  log() after 20 ms idle, %d calls: p50 %,d ns, p90 %,d ns, p99 %,d ns, max %,d ns%n%n",
        calls, nanos[calls / 2], nanos[calls * 9 / 10], nanos[calls * 99 / 100], nanos[calls - 1]);
  }

  private static long workerThreadId() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("logwait-logger-" + CLIENT_ID))
        .mapToLong(Thread::getId)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no worker thread logwait-logger-idle"));
  }

  /** The worker's /proc task: the one thread whose (truncated) name is the worker's. */
  private static Path workerTask() throws IOException {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      Path[] found =
          tasks
              .filter(t -> readQuietly(t.resolve("comm")).strip().equals(WORKER_COMM))
              .toArray(Path[]::new);
      if (found.length != 1) {
        throw new IllegalStateException(
            found.length + " threads named " + WORKER_COMM + "; expected the one worker");
      }
      return found[0];
    }
  }

  /** Voluntary and involuntary context switches of one thread: each wake-up is one at least. */
  private static long contextSwitches(Path task) throws IOException {
    long n = 0;
    for (String line : Files.readAllLines(task.resolve("status"))) {
      if (line.startsWith("voluntary_ctxt_switches:")
          || line.startsWith("nonvoluntary_ctxt_switches:")) {
        n += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
      }
    }
    return n;
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return ""; // a thread that ended meanwhile
    }
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort(); // nothing listens there once it is closed
    }
  }
}
