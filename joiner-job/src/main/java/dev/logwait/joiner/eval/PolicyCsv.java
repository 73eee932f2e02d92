package dev.logwait.joiner.eval;

import dev.logwait.joiner.config.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A candidate policy as CSV ({@code prediction_id,action,probability}, header required), read and
 * checked in plain Java before any Spark starts, so that a bad file is refused at once, naming its
 * lines. Each probability is a finite number in [0, 1]; the probabilities of one prediction's
 * actions sum to at most 1 (+ {@value #SUM_TOLERANCE}, for rounding): more would make the candidate
 * choose more than one action per request, and IPS would count its reward more than once. An action
 * given twice for one prediction is refused too (it would enter the join twice).
 *
 * <p>Fields are plain (a field may be wrapped in double quotes, without a quote, comma or backslash
 * inside): what is accepted here reads the same in Spark's CSV reader, which then evaluates it.
 */
public final class PolicyCsv {
  static final String HEADER = "prediction_id,action,probability";
  static final double SUM_TOLERANCE = 1e-9;

  /** Problems listed in the message; the rest are counted. */
  static final int SHOWN = 10;

  /** What a checked file holds. */
  public record Summary(long rows, long predictions) {}

  private PolicyCsv() {}

  /**
   * Checks the file; throws {@link ConfigException} naming the file and every bad line (the first
   * {@value #SHOWN}) otherwise.
   */
  public static Summary check(Path file) {
    if (!Files.isReadable(file) || Files.isDirectory(file)) {
      throw new ConfigException("--policy " + file + ": no such readable file");
    }
    List<String> problems = new ArrayList<>();
    Map<String, Prediction> predictions = new HashMap<>();
    long rows = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      boolean header = true;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isEmpty()) {
          continue; // Spark's reader skips empty lines too
        }
        if (header) {
          header = false;
          String h = line.startsWith("\uFEFF") ? line.substring(1) : line;
          if (!h.replace("\"", "").strip().equals(HEADER)) {
            problems.add(
                number + ": the header is '" + h + "'; a policy file starts with " + HEADER);
            break;
          }
          continue;
        }
        rows++;
        row(line, number, problems, predictions);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("--policy " + file + ": " + e.getMessage(), e);
    }
    for (Map.Entry<String, Prediction> e : predictions.entrySet()) {
      Prediction p = e.getValue();
      if (p.sum > 1 + SUM_TOLERANCE) {
        problems.add(
            "lines "
                + p.lines()
                + ": the probabilities of prediction "
                + e.getKey()
                + " sum to "
                + p.sum
                + ", more than 1 (a policy chooses one action per prediction)");
      }
    }
    if (rows == 0 && problems.isEmpty()) {
      problems.add("no row after the header");
    }
    if (!problems.isEmpty()) {
      throw refusal(file, problems);
    }
    return new Summary(rows, predictions.size());
  }

  /** One data line: its fields, each checked; adds the probability to its prediction's sum. */
  private static void row(
      String line, int number, List<String> problems, Map<String, Prediction> predictions) {
    String[] fields = line.split(",", -1);
    if (fields.length != 3) {
      problems.add(number + ": " + fields.length + " fields, expected 3 (" + HEADER + ")");
      return;
    }
    String[] names = HEADER.split(",");
    for (int c = 0; c < 3; c++) {
      String f = fields[c];
      String unquoted =
          f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")
              ? f.substring(1, f.length() - 1)
              : f;
      if (unquoted.contains("\"") || unquoted.contains("\\")) {
        problems.add(
            number
                + ": column "
                + (c + 1)
                + " ("
                + names[c]
                + ") holds a quote or backslash: write plain values");
        return;
      }
      fields[c] = unquoted;
    }
    if (fields[0].isEmpty() || fields[1].isEmpty()) {
      int c = fields[0].isEmpty() ? 1 : 2;
      problems.add(number + ": column " + c + " (" + names[c - 1] + ") is empty");
      return;
    }
    double p;
    try {
      p = Double.parseDouble(fields[2]);
    } catch (NumberFormatException e) {
      problems.add(number + ": column 3 (probability) '" + fields[2] + "' is not a number");
      return;
    }
    if (!(p >= 0 && p <= 1)) {
      problems.add(number + ": column 3 (probability) " + fields[2] + " is outside [0, 1]");
      return;
    }
    Prediction seen = predictions.computeIfAbsent(fields[0], k -> new Prediction());
    int before = seen.lineOf(fields[1]);
    if (before > 0) {
      problems.add(
          number
              + ": action "
              + fields[1]
              + " of prediction "
              + fields[0]
              + " is given again (first on line "
              + before
              + ")");
      return;
    }
    seen.add(fields[1], number, p);
  }

  private static ConfigException refusal(Path file, List<String> problems) {
    StringBuilder m =
        new StringBuilder("--policy ")
            .append(file)
            .append(": ")
            .append(problems.size() == 1 ? "1 problem" : problems.size() + " problems")
            .append(", nothing evaluated:");
    for (String p : problems.subList(0, Math.min(SHOWN, problems.size()))) {
      // file:line, as compilers write it, where the problem has one line
      m.append("\n  ").append(file).append(p.startsWith("lines ") ? ": " : ":").append(p);
    }
    if (problems.size() > SHOWN) {
      m.append("\n  … and ").append(problems.size() - SHOWN).append(" more");
    }
    return new ConfigException(m.toString());
  }

  /**
   * One prediction's actions, the line that gave each, and the sum of their probabilities; arrays,
   * not a map: a file holds a few actions for each of up to millions of predictions.
   */
  private static final class Prediction {
    String[] actions = new String[2];
    int[] lines = new int[2];
    int count;
    double sum;

    /** The line that gave {@code action}, or 0. */
    int lineOf(String action) {
      for (int i = 0; i < count; i++) {
        if (actions[i].equals(action)) {
          return lines[i];
        }
      }
      return 0;
    }

    void add(String action, int line, double p) {
      if (count == actions.length) {
        actions = Arrays.copyOf(actions, count * 2);
        lines = Arrays.copyOf(lines, count * 2);
      }
      actions[count] = action;
      lines[count++] = line;
      sum += p;
    }

    String lines() {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < count; i++) {
        b.append(i == 0 ? "" : ", ").append(lines[i]);
      }
      return b.toString();
    }
  }
}
