package dev.logwait.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Expected values as the decoded ones look, and their comparison: for the assertions. */
final class Values {
  private Values() {}

  /** Arrays as lists, maps with string keys in order; the rest as it is. */
  static Object plain(Object o) {
    if (o instanceof float[] a) {
      List<Object> out = new ArrayList<>(a.length);
      for (float v : a) {
        out.add(v);
      }
      return out;
    }
    if (o instanceof double[] a) {
      List<Object> out = new ArrayList<>(a.length);
      for (double v : a) {
        out.add(v);
      }
      return out;
    }
    if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new TreeMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return out;
    }
    return Decoding.plain(o);
  }

  /** Numbers by value ({@code 1} equals {@code 1.0f}), lists and maps element by element. */
  static boolean same(Object actual, Object expected) {
    if (actual instanceof Number a && expected instanceof Number e) {
      return a.doubleValue() == e.doubleValue();
    }
    if (actual instanceof List<?> a && expected instanceof List<?> e) {
      if (a.size() != e.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), e.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (actual instanceof Map<?, ?> a && expected instanceof Map<?, ?> e) {
      if (!a.keySet().equals(e.keySet())) {
        return false;
      }
      for (Map.Entry<?, ?> entry : a.entrySet()) {
        if (!same(entry.getValue(), e.get(entry.getKey()))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(actual, expected);
  }

  /** A value as a person reads it (arrays by their elements, not {@code [F@28c0b664}). */
  static String show(Object o) {
    return String.valueOf(plain(o));
  }
}
