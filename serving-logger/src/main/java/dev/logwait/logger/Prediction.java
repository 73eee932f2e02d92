package dev.logwait.logger;

import dev.logwait.schema.FeatureField;
import dev.logwait.schema.FeatureSet;
import dev.logwait.schema.FeatureType;
import dev.logwait.schema.internal.SlotLayout;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One served prediction, filled in by the caller and handed to {@link PredictionLogger#log}.
 * Feature values go into primitive storage by field index or name: no map, no boxing.
 *
 * <p>A feature the service never sets (or sets to {@code null}) is logged as missing: the record
 * lists its position in {@code unset_features} and the joiner's tables show it as null, never as a
 * default value; a score never set is logged as null. The logger counts such predictions, or
 * refuses them ({@link UnsetPolicy}).
 *
 * <p>Not thread-safe: one thread fills it in. Once logged it belongs to the logger; further setters
 * throw {@link IllegalStateException}. A prediction that sampling left out is a shared, inert
 * instance ({@link #isSampledOut()}): its setters do nothing and logging it is a no-op.
 */
public final class Prediction {
  static final Prediction SAMPLED_OUT = new Prediction();

  final FeatureSet featureSet;
  final String modelName;
  final String modelVersion;
  double sampleRate;

  /**
   * The primitive slots, then one bit per field (by index) that the caller set: the bitmap shares
   * the array so that a prediction costs no allocation more than before.
   */
  final long[] primitives;

  /** Where the set-bitmap starts in {@link #primitives}. */
  final int setBase;

  /** How many fields the feature set has. */
  final int fieldCount;

  /** The feature set's slot per field index (its own array, read-only): one array read a value. */
  final int[] slots;

  final Object[] objects;
  long servedAtMicros;
  String predictionId;
  long idHigh;
  long idLow;
  String requestId;
  double prediction;
  boolean hasScore;
  boolean hasPropensity;
  double propensity;
  String action;
  String[] entityKeys;
  int entityCount;
  // Plain, not volatile: the thread that fills a prediction is the one that logs it, and the
  // queue hands it to the worker with a happens-before edge.
  boolean logged;

  private Prediction() {
    this.featureSet = null;
    this.modelName = null;
    this.modelVersion = null;
    this.sampleRate = 0;
    this.slots = null;
    this.primitives = null;
    this.objects = null;
    this.setBase = 0;
    this.fieldCount = 0;
  }

  Prediction(
      FeatureSet featureSet,
      String modelName,
      String modelVersion,
      double sampleRate,
      long servedAtMicros) {
    this.featureSet = featureSet;
    this.modelName = modelName;
    this.modelVersion = modelVersion;
    this.sampleRate = sampleRate;
    this.servedAtMicros = servedAtMicros;
    this.slots = SlotLayout.slots(featureSet);
    this.fieldCount = slots.length;
    this.setBase = SlotLayout.primitiveSlots(featureSet);
    this.primitives = new long[setBase + ((fieldCount + 63) >>> 6)];
    this.objects =
        SlotLayout.objectSlots(featureSet) == 0
            ? null
            : new Object[SlotLayout.objectSlots(featureSet)];
  }

  /**
   * Whether this is the inert instance that sampling returns (nothing set on it is kept).
   *
   * @return true when sampled out
   */
  public boolean isSampledOut() {
    return this == SAMPLED_OUT;
  }

  /**
   * Sets the prediction id; when none is set the logger generates a time-ordered one.
   *
   * @param id unique per prediction
   * @return this prediction
   */
  public Prediction predictionId(String id) {
    if (writable()) {
      this.predictionId = Objects.requireNonNull(id, "prediction id");
    }
    return this;
  }

  /**
   * The prediction id, generated now (time-ordered, UUID version 7 layout) if none was set. Call it
   * when the id must travel with the response so that labels can name it.
   *
   * @return the id, or null for a sampled-out prediction
   */
  public String predictionId() {
    if (this == SAMPLED_OUT) {
      return null;
    }
    if (predictionId == null) {
      // After log(), the id was generated unformatted (ensureId): format that one, never a new
      // one. (The worker may format it too: the same immutable string.)
      if (idHigh == 0 && idLow == 0) {
        generateId();
      }
      predictionId = formatId(idHigh, idLow);
    }
    return predictionId;
  }

  /**
   * Groups the items of one request (a ranked slate).
   *
   * @param id the request's id
   * @return this prediction
   */
  public Prediction requestId(String id) {
    if (writable()) {
      this.requestId = id;
    }
    return this;
  }

  /**
   * Overrides the serving time; default: creation time.
   *
   * @param micros microseconds since the epoch, UTC
   * @return this prediction
   */
  public Prediction servedAtMicros(long micros) {
    if (writable()) {
      this.servedAtMicros = micros;
    }
    return this;
  }

  /**
   * Overrides the recorded sampling rate, for replays and backfills of records that were sampled
   * elsewhere. Training weights rows by its inverse.
   *
   * @param rate in (0, 1]
   * @return this prediction
   */
  public Prediction recordedSampleRate(double rate) {
    if (writable()) {
      if (!(rate > 0.0 && rate <= 1.0)) {
        throw new IllegalArgumentException("sample rate must be in (0, 1], was " + rate);
      }
      this.sampleRate = rate;
    }
    return this;
  }

  /**
   * The model's score or output. A prediction whose score is never set is logged with a null score
   * (counted in {@link LoggerStats#withoutScore()}), never as 0.0.
   *
   * @param value the score
   * @return this prediction
   */
  public Prediction score(double value) {
    if (writable()) {
      this.prediction = value;
      this.hasScore = true;
    }
    return this;
  }

  /**
   * The probability with which the served action was chosen (exploration).
   *
   * @param value in (0, 1]
   * @return this prediction
   */
  public Prediction propensity(double value) {
    if (writable()) {
      this.propensity = value;
      this.hasPropensity = true;
    }
    return this;
  }

  /**
   * The action served (for off-policy evaluation).
   *
   * @param value the action
   * @return this prediction
   */
  public Prediction action(String value) {
    if (writable()) {
      this.action = value;
    }
    return this;
  }

  /**
   * Adds an entity key; labels may join on it.
   *
   * @param key e.g. {@code user_id}
   * @param value its value
   * @return this prediction
   */
  public Prediction entity(String key, String value) {
    if (writable()) {
      Objects.requireNonNull(key, "entity key");
      Objects.requireNonNull(value, "entity value");
      if (entityKeys == null) {
        entityKeys = new String[8];
      } else if (entityCount * 2 == entityKeys.length) {
        entityKeys = java.util.Arrays.copyOf(entityKeys, entityKeys.length * 2);
      }
      entityKeys[entityCount * 2] = key;
      entityKeys[entityCount * 2 + 1] = value;
      entityCount++;
    }
    return this;
  }

  /**
   * Sets a numeric feature; the value is converted to the field's declared type.
   *
   * @param index the field's position in record order
   * @param value the value
   * @return this prediction
   */
  public Prediction set(int index, double value) {
    if (writable()) {
      FeatureSet fs = featureSet;
      if (fs.type(index) == FeatureType.DOUBLE) { // the common case, without a lookup of the field
        primitives[slots[index]] = Double.doubleToRawLongBits(value);
      } else {
        FeatureField f = fs.fields().get(index);
        primitives[primitiveSlot(f)] = toBits(f, value);
      }
      markSet(index);
    }
    return this;
  }

  /**
   * Sets a numeric feature by name (a map lookup; the index form is cheaper).
   *
   * @param name the field's name
   * @param value the value
   * @return this prediction
   */
  public Prediction set(String name, double value) {
    return this == SAMPLED_OUT ? this : set(index(name), value);
  }

  /**
   * Sets a long or int feature exactly (a double would round large longs).
   *
   * @param index the field's position in record order
   * @param value the value
   * @return this prediction
   */
  public Prediction set(int index, long value) {
    if (writable()) {
      FeatureField f = featureSet.fields().get(index);
      if (f.type() == FeatureType.LONG || f.type() == FeatureType.INT) {
        if (f.type() == FeatureType.INT && (int) value != value) {
          throw new IllegalArgumentException(
              "Feature '" + f.name() + "' is an int; " + value + " does not fit");
        }
        primitives[slots[f.index()]] = value;
      } else {
        primitives[primitiveSlot(f)] = toBits(f, (double) value);
      }
      markSet(index);
    }
    return this;
  }

  /**
   * Sets a long or int feature by name (a map lookup; the index form is cheaper).
   *
   * @param name the field's name
   * @param value the value
   * @return this prediction
   */
  public Prediction set(String name, long value) {
    return this == SAMPLED_OUT ? this : set(index(name), value);
  }

  /**
   * Sets a boolean feature.
   *
   * @param index the field's position in record order
   * @param value the value
   * @return this prediction
   */
  public Prediction set(int index, boolean value) {
    if (writable()) {
      FeatureField f = field(index, FeatureType.BOOLEAN);
      primitives[slots[f.index()]] = value ? 1L : 0L;
      markSet(index);
    }
    return this;
  }

  /**
   * Sets a boolean feature by name (a map lookup; the index form is cheaper).
   *
   * @param name the field's name
   * @param value the value
   * @return this prediction
   */
  public Prediction set(String name, boolean value) {
    return this == SAMPLED_OUT ? this : set(index(name), value);
  }

  /**
   * Sets a string feature.
   *
   * @param index the field's position in record order
   * @param value the value; {@code null} leaves the feature unset (logged as missing)
   * @return this prediction
   */
  public Prediction set(int index, String value) {
    return setObject(index, FeatureType.STRING, value);
  }

  /**
   * Sets a string feature by name (a map lookup; the index form is cheaper).
   *
   * @param name the field's name
   * @param value the value
   * @return this prediction
   */
  public Prediction set(String name, String value) {
    return this == SAMPLED_OUT ? this : set(index(name), value);
  }

  /**
   * Sets a dense float vector; the array is kept, not copied: do not change it afterwards.
   *
   * @param index the field's position in record order
   * @param value the vector; {@code null} leaves the feature unset (logged as missing)
   * @return this prediction
   */
  public Prediction set(int index, float[] value) {
    return setObject(index, FeatureType.FLOAT_VECTOR, value);
  }

  /**
   * Sets a dense float vector by name (a map lookup; the index form is cheaper).
   *
   * @param name the field's name
   * @param value the value
   * @return this prediction
   */
  public Prediction set(String name, float[] value) {
    return this == SAMPLED_OUT ? this : set(index(name), value);
  }

  /**
   * Sets a dense double vector; the array is kept, not copied: do not change it afterwards.
   *
   * @param index the field's position in record order
   * @param value the vector; {@code null} leaves the feature unset (logged as missing)
   * @return this prediction
   */
  public Prediction set(int index, double[] value) {
    return setObject(index, FeatureType.DOUBLE_VECTOR, value);
  }

  /**
   * Sets a dense double vector by name (a map lookup; the index form is cheaper).
   *
   * @param name the field's name
   * @param value the value
   * @return this prediction
   */
  public Prediction set(String name, double[] value) {
    return this == SAMPLED_OUT ? this : set(index(name), value);
  }

  /**
   * Sets a sparse feature; the map is kept, not copied: do not change it afterwards.
   *
   * @param index the field's position in record order
   * @param value the map; {@code null} leaves the feature unset (logged as missing)
   * @return this prediction
   */
  public Prediction set(int index, Map<String, Double> value) {
    return setObject(index, FeatureType.SPARSE, value);
  }

  /**
   * Sets a sparse feature by name (a map lookup; the index form is cheaper).
   *
   * @param name the field's name
   * @param value the value
   * @return this prediction
   */
  public Prediction set(String name, Map<String, Double> value) {
    return this == SAMPLED_OUT ? this : set(index(name), value);
  }

  /**
   * The feature set this prediction's values follow.
   *
   * @return the feature set
   */
  public FeatureSet featureSet() {
    return featureSet;
  }

  /**
   * The model that served it.
   *
   * @return the model's name
   */
  public String modelName() {
    return modelName;
  }

  /**
   * The sampling rate in force when this prediction was created (recorded with it).
   *
   * @return in (0, 1]
   */
  public double sampleRate() {
    return sampleRate;
  }

  /** Fills in the id on the caller thread without formatting it (no allocation). */
  void ensureId() {
    if (predictionId == null && idHigh == 0 && idLow == 0) {
      generateId();
    }
  }

  /** The id as a string, formatted once, on the worker thread for generated ids. */
  String idString() {
    if (predictionId == null) {
      predictionId = formatId(idHigh, idLow);
    }
    return predictionId;
  }

  private void generateId() {
    long millis = System.currentTimeMillis();
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    idHigh = (millis << 16) | 0x7000L | (rnd.nextInt() & 0x0fffL);
    idLow = (rnd.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
  }

  static String formatId(long high, long low) {
    return new java.util.UUID(high, low).toString();
  }

  private boolean writable() {
    if (this == SAMPLED_OUT) {
      return false;
    }
    if (logged) {
      throw new IllegalStateException("Prediction already logged; create a new one");
    }
    return true;
  }

  private int index(String name) {
    FeatureField f = featureSet.field(name);
    if (f == null) {
      throw new IllegalArgumentException(
          "Feature set " + featureSet + " has no feature named '" + name + "'");
    }
    return f.index();
  }

  private FeatureField field(int index, FeatureType expected) {
    FeatureField f = featureSet.fields().get(index);
    if (f.type() != expected) {
      throw new IllegalArgumentException(
          "Feature '" + f.name() + "' is " + f.type() + ", not " + expected);
    }
    return f;
  }

  private Prediction setObject(int index, FeatureType type, Object value) {
    if (writable()) {
      FeatureField f = field(index, type);
      objects[slots[f.index()]] = value;
      if (value == null) { // null means "no value": the feature is logged as missing
        primitives[setBase + (index >>> 6)] &= ~(1L << index);
      } else {
        markSet(index);
      }
    }
    return this;
  }

  private void markSet(int index) {
    primitives[setBase + (index >>> 6)] |= 1L << index; // the shift takes index mod 64
  }

  /** Whether the caller set the feature at this index (to a value, not null). */
  boolean isSet(int index) {
    return (primitives[setBase + (index >>> 6)] & (1L << index)) != 0;
  }

  /** Whether every feature was set: a few word compares, no allocation. */
  boolean allFeaturesSet() {
    int words = fieldCount >>> 6;
    for (int w = 0; w < words; w++) {
      if (primitives[setBase + w] != -1L) {
        return false;
      }
    }
    int rest = fieldCount & 63;
    return rest == 0 || primitives[setBase + words] == (1L << rest) - 1;
  }

  /** How many features were not set. */
  int unsetCount() {
    int set = 0;
    for (int w = setBase; w < primitives.length; w++) {
      set += Long.bitCount(primitives[w]);
    }
    return fieldCount - set;
  }

  private int primitiveSlot(FeatureField f) {
    if (!f.type().isPrimitive() || f.type() == FeatureType.BOOLEAN) {
      throw new IllegalArgumentException(
          "Feature '" + f.name() + "' is " + f.type() + ", not a number");
    }
    return slots[f.index()];
  }

  private static long toBits(FeatureField f, double value) {
    switch (f.type()) {
      case DOUBLE:
        return Double.doubleToRawLongBits(value);
      case FLOAT:
        return Float.floatToRawIntBits((float) value);
      case LONG:
      case INT:
        if (value != Math.rint(value)) {
          throw new IllegalArgumentException(
              "Feature '" + f.name() + "' is " + f.type() + "; " + value + " is not whole");
        }
        return (long) value;
      default:
        throw new IllegalArgumentException(
            "Feature '" + f.name() + "' is " + f.type() + ", not a number");
    }
  }
}
