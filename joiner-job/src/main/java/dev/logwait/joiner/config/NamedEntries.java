package dev.logwait.joiner.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A list of mappings in the configuration, each with a unique {@code name} ({@code labels:}, {@code
 * routers:}): every problem is collected, naming its key.
 */
final class NamedEntries {
  private NamedEntries() {}

  /** Parses one entry; throws {@link ConfigException} naming the first problem's key. */
  interface Entry<T> {
    T parse(JsonNode n, String at, String name);
  }

  /**
   * The entries of {@code node}, an array under {@code key}: each must be a mapping with only
   * {@code fields}, and a name of lower-case letters, digits and '_' that no other entry has.
   */
  static <T> List<T> parse(
      JsonNode node,
      String key,
      List<String> fields,
      String expected,
      List<String> errors,
      Entry<T> entry) {
    List<T> specs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode n = node.get(i);
      String at = key + "[" + i + "]";
      if (!n.isObject()) {
        errors.add(at + ": expected a mapping with " + expected);
        continue;
      }
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!fields.contains(f)) {
          errors.add(at + "." + f + ": unknown; use " + String.join(", ", fields));
        }
      }
      String name = n.path("name").asText(null);
      if (name == null || !JoinerConfig.IDENT.matcher(name).matches()) {
        errors.add(at + ".name: '" + name + "' must be lower-case letters, digits and '_'");
        continue;
      }
      if (!names.add(name)) {
        errors.add(at + ".name: '" + name + "' is declared twice");
      }
      try {
        specs.add(entry.parse(n, at, name));
      } catch (ConfigException e) {
        errors.add(e.getMessage());
      }
    }
    return specs;
  }
}
