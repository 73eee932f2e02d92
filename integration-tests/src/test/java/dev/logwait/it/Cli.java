package dev.logwait.it;

import dev.logwait.joiner.cli.JoinerMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The joiner's CLI in this JVM, with what it printed on standard output. */
final class Cli {
  /** An exit code and standard output. */
  record Result(int exit, String out) {}

  private Cli() {}

  static synchronized Result run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      int exit = JoinerMain.execute(args);
      capture.flush();
      String out = buffer.toString(StandardCharsets.UTF_8);
      original.print(out); // still in the test's report
      return new Result(exit, out);
    } finally {
      System.setOut(original);
    }
  }
}
