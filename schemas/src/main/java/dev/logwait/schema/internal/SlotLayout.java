package dev.logwait.schema.internal;

import dev.logwait.schema.FeatureField;
import dev.logwait.schema.FeatureSet;

/**
 * Internal: where a logger keeps each feature's value in a vector's primitive storage ({@code
 * long[]}, for numbers and booleans) or object storage (strings, vectors, maps). Not part of
 * logwait's API; the layout may change in any release. A logger takes {@link #slots} once per
 * record and reads slots as array elements on its hot path (a call per value measured ~2 ns more).
 */
public final class SlotLayout {
  /** What {@link FeatureSet} exposes to this class alone. */
  public interface Access {
    /**
     * A field's slot.
     *
     * @param set the feature set
     * @param index the field's position in record order
     * @return its slot among the primitive or the object slots
     */
    int slot(FeatureSet set, int index);

    /**
     * A field's slot.
     *
     * @param field the field
     * @return its slot among the primitive or the object slots
     */
    int slot(FeatureField field);

    /**
     * How many primitive slots a vector of the set needs.
     *
     * @param set the feature set
     * @return the number of number and boolean fields
     */
    int primitiveSlots(FeatureSet set);

    /**
     * How many object slots a vector of the set needs.
     *
     * @param set the feature set
     * @return the number of string, vector and map fields
     */
    int objectSlots(FeatureSet set);

    /**
     * Every field's slot, by index: the set's own array, not a copy.
     *
     * @param set the feature set
     * @return the slots in record order; never modify it
     */
    int[] slots(FeatureSet set);
  }

  private static volatile Access access;

  private SlotLayout() {}

  /**
   * Called once by {@link FeatureSet}'s class initializer; later calls are ignored.
   *
   * @param a the feature set's accessor
   */
  public static void install(Access a) {
    synchronized (SlotLayout.class) {
      if (access == null) {
        access = a;
      }
    }
  }

  /**
   * A field's slot.
   *
   * @param set the feature set
   * @param index the field's position in record order
   * @return its slot among the primitive or the object slots
   */
  public static int slot(FeatureSet set, int index) {
    return access.slot(set, index);
  }

  /**
   * A field's slot.
   *
   * @param field the field (of a feature set, so the accessor is installed)
   * @return its slot among the primitive or the object slots
   */
  public static int slot(FeatureField field) {
    return access.slot(field);
  }

  /**
   * Every field's slot, by index: the set's own array (read it, never modify it).
   *
   * @param set the feature set
   * @return the slots in record order
   */
  public static int[] slots(FeatureSet set) {
    return access.slots(set);
  }

  /**
   * How many primitive slots a vector of the set needs.
   *
   * @param set the feature set
   * @return the number of number and boolean fields
   */
  public static int primitiveSlots(FeatureSet set) {
    return access.primitiveSlots(set);
  }

  /**
   * How many object slots a vector of the set needs.
   *
   * @param set the feature set
   * @return the number of string, vector and map fields
   */
  public static int objectSlots(FeatureSet set) {
    return access.objectSlots(set);
  }
}
