package dev.logwait.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Where the job's CPU went, from the JVM's and the kernel's counters: the process (every thread),
 * Spark's tasks (their threads' CPU, as Spark reports it), the JIT compiler threads and the garbage
 * collector's threads (Linux's per-thread counters; -1 elsewhere).
 */
record CpuSplit(long processNanos, long jitNanos, long gcNanos) {
  private static final Predicate<String> JIT =
      n -> n.startsWith("C1 CompilerThre") || n.startsWith("C2 CompilerThre");
  private static final Predicate<String> GC =
      n -> n.startsWith("GC Thread") || n.startsWith("G1 ") || n.equals("VM Thread");

  static CpuSplit start() {
    return new CpuSplit(processCpuNanos(), threadsCpuNanos(JIT), threadsCpuNanos(GC));
  }

  String since(JoinerBench.JobCounter jobs) {
    return String.format(
        "process_cpu_s=%.1f task_cpu_s=%.1f jit_cpu_s=%.1f gc_cpu_s=%.1f",
        (processCpuNanos() - processNanos) / 1e9,
        jobs.taskCpuNanos() / 1e9,
        since(jitNanos, threadsCpuNanos(JIT)),
        since(gcNanos, threadsCpuNanos(GC)));
  }

  /** Seconds between two readings of the threads' CPU; -1 where /proc could not be read. */
  private static double since(long before, long after) {
    return before < 0 || after < 0 ? -1 : (after - before) / 1e9;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * CPU of this JVM's threads whose name matches, from /proc (in Linux's 1/100 s); -1 without it.
   */
  private static long threadsCpuNanos(Predicate<String> name) {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return -1;
    }
    long ticks = 0;
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path t : (Iterable<Path>) threads::iterator) {
        try {
          if (name.test(Files.readString(t.resolve("comm")).strip())) {
            String stat = Files.readString(t.resolve("stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
          }
        } catch (IOException gone) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks * 10_000_000L;
  }
}
