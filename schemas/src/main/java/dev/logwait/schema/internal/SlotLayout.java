package dev.logwait.schema.internal;

import dev.logwait.schema.FeatureSet;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Internal: where a logger keeps each feature's value in a vector's primitive storage ({@code
 * long[]}, for numbers and booleans) or object storage (strings, vectors, maps). Not part of
 * logwait's API; the layout may change in any release. A logger takes {@link #slots} once per
 * record and reads slots as array elements on its hot path (a call per value measured ~2 ns more).
 *
 * <p>The layout is {@link FeatureSet}'s private state, read here through {@link VarHandle}s (as
 * fast as a field read once compiled), so that the API package neither exposes nor imports it.
 */
public final class SlotLayout {
  private static final VarHandle SLOTS = field("slots", int[].class);
  private static final VarHandle PRIMITIVE_SLOTS = field("primitiveSlots", int.class);
  private static final VarHandle OBJECT_SLOTS = field("objectSlots", int.class);

  private SlotLayout() {}

  private static VarHandle field(String name, Class<?> type) {
    try {
      return MethodHandles.privateLookupIn(FeatureSet.class, MethodHandles.lookup())
          .findVarHandle(FeatureSet.class, name, type);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Every field's slot, by index: the set's own array (read it, never modify it).
   *
   * @param set the feature set
   * @return the slots in record order
   */
  public static int[] slots(FeatureSet set) {
    return (int[]) SLOTS.get(set);
  }

  /**
   * How many primitive slots a vector of the set needs.
   *
   * @param set the feature set
   * @return the number of number and boolean fields
   */
  public static int primitiveSlots(FeatureSet set) {
    return (int) PRIMITIVE_SLOTS.get(set);
  }

  /**
   * How many object slots a vector of the set needs.
   *
   * @param set the feature set
   * @return the number of string, vector and map fields
   */
  public static int objectSlots(FeatureSet set) {
    return (int) OBJECT_SLOTS.get(set);
  }
}
