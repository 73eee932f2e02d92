package dev.logwait.testkit;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * The broker process's main class: runs Kafka's own ({@code kafka.Kafka}), and ends the process
 * when the JVM that started it is gone. That JVM holds the process's standard input open and never
 * writes to it; when it exits (normally, killed with SIGKILL, or a build that never ran its
 * cleanup), the input closes and the broker halts, deleting its work folder first when it was a
 * temporary one ({@value #DELETE_ON_ORPHAN}). So no broker outlives the tests that started it.
 *
 * <p>Arguments: Kafka's main class, then its arguments. Loaded in the broker's JVM only.
 */
public final class BrokerMain {
  /** System property naming a folder to delete when the broker's parent is gone. */
  static final String DELETE_ON_ORPHAN = "logwait.broker.delete-on-orphan";

  private BrokerMain() {}

  /**
   * Starts the watch of standard input, then Kafka's main.
   *
   * @param args Kafka's main class and its arguments
   * @throws Throwable what Kafka's main throws
   */
  public static void main(String[] args) throws Throwable {
    long parent = parentPid();
    Thread watch =
        new Thread(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // the parent never writes; anything read is ignored
                }
              } catch (IOException gone) {
                // as good as end of input
              }
              // A parent that stops the broker (SIGTERM) closes the input too: then it is still
              // our parent, and Kafka shuts down as asked. An orphan is re-parented at once.
              long until = System.nanoTime() + 5_000_000_000L;
              while (System.nanoTime() < until) {
                if (parentPid() != parent) {
                  String dir = System.getProperty(DELETE_ON_ORPHAN);
                  if (dir != null && !dir.isBlank()) {
                    deleteQuietly(Path.of(dir));
                  }
                  Runtime.getRuntime().halt(3); // nobody is left to wait for a clean shutdown
                }
                try {
                  Thread.sleep(100); // a poll of the parent's pid, a few seconds at most
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "logwait-broker-orphan-watch");
    watch.setDaemon(true);
    watch.start();
    try {
      Class.forName(args[0])
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static long parentPid() {
    return ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
  }

  /** Deletes a folder and what it holds, as far as it can. */
  static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              try {
                Files.deleteIfExists(file);
              } catch (IOException e) {
                // best effort: a file the broker still writes is gone with its folder later
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) {
              try {
                Files.deleteIfExists(d);
              } catch (IOException ex) {
                // best effort
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // best effort
    }
  }
}
