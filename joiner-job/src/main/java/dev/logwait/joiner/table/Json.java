package dev.logwait.joiner.table;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/** The JSON of snapshot properties and of the {@code runs} table's text columns. */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JSON object of whole numbers, sorted by key. */
  public static Map<String, Long> readLongMap(String json) {
    try {
      return new TreeMap<>(MAPPER.readValue(json, new TypeReference<Map<String, Long>>() {}));
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read logwait property " + json, e);
    }
  }
}
