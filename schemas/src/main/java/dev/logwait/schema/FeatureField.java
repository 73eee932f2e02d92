package dev.logwait.schema;

import java.util.Objects;

/**
 * One declared feature: its name, type and position in the record. Immutable. (Where a logger keeps
 * its value is internal to logwait.)
 */
public final class FeatureField {
  private final String name;
  private final FeatureType type;
  private final int index;
  private final int slot;

  FeatureField(String name, FeatureType type, int index, int slot) {
    this.name = name;
    this.type = type;
    this.index = index;
    this.slot = slot;
  }

  /**
   * The feature's name.
   *
   * @return the name, as the training table's column
   */
  public String name() {
    return name;
  }

  /**
   * The feature's type.
   *
   * @return the declared type
   */
  public FeatureType type() {
    return type;
  }

  /**
   * The feature's position.
   *
   * @return its index in record order
   */
  public int index() {
    return index;
  }

  /** The slot that holds its value among the primitive or the object slots. */
  int slot() {
    return slot;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureField f
        && f.name.equals(name)
        && f.type == type
        && f.index == index
        && f.slot == slot;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, index, slot);
  }

  @Override
  public String toString() {
    return "FeatureField[name=" + name + ", type=" + type + ", index=" + index + "]";
  }
}
