package dev.logwait.joiner.erasure;

import dev.logwait.joiner.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The people (data subjects) to forget: entity keys as the logger records them ({@code user_id=U}),
 * or single predictions ({@code prediction_id=P}), from the command line or a file with one per
 * line ({@code #} comments and blank lines skipped).
 *
 * @param keys every subject, in the order given, without repeats
 */
public record Subjects(List<Subject> keys) {
  /** The key name that names a prediction rather than an entity. */
  public static final String PREDICTION_ID = "prediction_id";

  private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");

  /** One subject: an entity key and its value, or {@code prediction_id} and a prediction's id. */
  public record Subject(String key, String value) {
    boolean isPrediction() {
      return key.equals(PREDICTION_ID);
    }

    @Override
    public String toString() {
      return key + "=" + value;
    }
  }

  /**
   * Parses {@code --entity} values and the lines of {@code --from-file} files.
   *
   * @throws ConfigException naming the argument or the file and line of a malformed subject, or
   *     when no subject is given at all
   */
  public static Subjects parse(List<String> entities, List<Path> files) {
    Set<Subject> out = new LinkedHashSet<>();
    for (String e : entities) {
      out.add(parse(e, "--entity '" + e + "'"));
    }
    for (Path f : files) {
      List<String> lines;
      try {
        lines = Files.readAllLines(f);
      } catch (IOException e) {
        throw new ConfigException("--from-file " + f + ": cannot be read (" + e.getMessage() + ")");
      }
      int before = out.size();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          out.add(parse(line, f + ":" + (i + 1)));
        }
      }
      if (out.size() == before) {
        throw new ConfigException("--from-file " + f + " names no subject: nothing to forget");
      }
    }
    if (out.isEmpty()) {
      throw new ConfigException(
          "forget: name at least one subject with --entity key=value or --from-file FILE");
    }
    return new Subjects(List.copyOf(out));
  }

  private static Subject parse(String text, String where) {
    int eq = text.indexOf('=');
    if (eq <= 0 || eq == text.length() - 1) {
      throw new ConfigException(
          where + ": expected key=value, e.g. user_id=u123 (or prediction_id=<id>)");
    }
    String key = text.substring(0, eq).strip();
    String value = text.substring(eq + 1).strip();
    if (!KEY.matcher(key).matches()) {
      throw new ConfigException(where + ": '" + key + "' is not an entity key name");
    }
    if (value.isEmpty()) {
      throw new ConfigException(where + ": the value is empty");
    }
    return new Subject(key, value);
  }

  /** The entity keys (not prediction ids). */
  public List<Subject> entities() {
    return keys.stream().filter(s -> !s.isPrediction()).toList();
  }

  /** The prediction ids named directly. */
  public List<String> predictionIds() {
    return keys.stream().filter(Subject::isPrediction).map(Subject::value).toList();
  }

  /** As {@code key}{@code \u0000}{@code value} strings, the form the tables are matched with. */
  List<String> entityPairs() {
    List<String> out = new ArrayList<>();
    for (Subject s : entities()) {
      out.add(s.key() + "\u0000" + s.value());
    }
    return out;
  }
}
