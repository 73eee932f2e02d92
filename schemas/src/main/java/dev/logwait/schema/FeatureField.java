package dev.logwait.schema;

/**
 * One declared feature: its name, type, position in the record, and the slot that holds its value
 * in a vector (an index into the primitive slots or the object slots, by {@link
 * FeatureType#isPrimitive()}).
 */
public record FeatureField(String name, FeatureType type, int index, int slot) {}
