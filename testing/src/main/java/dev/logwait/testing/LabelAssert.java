package dev.logwait.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Conditions on one logged label event, each narrowing the candidates; a condition that leaves none
 * fails, naming every condition so far and showing what was logged.
 */
public final class LabelAssert {
  private final List<LoggedLabel> all;
  private List<LoggedLabel> matching;
  private final List<String> conditions = new ArrayList<>();

  LabelAssert(List<LoggedLabel> all) {
    this.all = all;
    this.matching = all;
  }

  /**
   * Of this label (the label spec's name: click, purchase, …).
   *
   * @param labelName the label's name
   * @return this
   */
  public LabelAssert named(String labelName) {
    return where("named " + labelName, l -> labelName.equals(l.labelName()));
  }

  /**
   * Naming this prediction.
   *
   * @param predictionId the prediction's id
   * @return this
   */
  public LabelAssert forPrediction(String predictionId) {
    return where("for prediction " + predictionId, l -> predictionId.equals(l.predictionId()));
  }

  /**
   * With this event id.
   *
   * @param eventId the event's deduplication key
   * @return this
   */
  public LabelAssert withEventId(String eventId) {
    return where("with event id " + eventId, l -> eventId.equals(l.eventId()));
  }

  /**
   * With this entity key.
   *
   * @param key the entity key's name
   * @param value its value
   * @return this
   */
  public LabelAssert withEntity(String key, String value) {
    return where("with entity " + key + " = " + value, l -> value.equals(l.entityKeys().get(key)));
  }

  /**
   * With this value.
   *
   * @param value the label's value
   * @return this
   */
  public LabelAssert withValue(double value) {
    return where("with value " + value, l -> l.value() == value);
  }

  /**
   * That happened at this time (to the microsecond).
   *
   * @param occurredAt when the event happened
   * @return this
   */
  public LabelAssert occurredAt(Instant occurredAt) {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, occurredAt);
    return where("occurred at " + occurredAt, l -> l.occurredAtMicros() == micros);
  }

  /**
   * Fails unless exactly one logged label event meets the conditions.
   *
   * @return this
   */
  public LabelAssert once() {
    if (matching.size() != 1) {
      throw new AssertionError(
          "Expected exactly one logged label event "
              + String.join(", ", conditions)
              + " but "
              + matching.size()
              + " match:\n"
              + describe(matching));
    }
    return this;
  }

  /**
   * The one logged label event that meets the conditions; fails when more than one does.
   *
   * @return the label event
   */
  public LoggedLabel get() {
    once();
    return matching.get(0);
  }

  /**
   * Every logged label event that meets the conditions.
   *
   * @return at least one, in the order they were logged
   */
  public List<LoggedLabel> all() {
    return List.copyOf(matching);
  }

  private LabelAssert where(String condition, Predicate<LoggedLabel> test) {
    conditions.add(condition);
    List<LoggedLabel> left = matching.stream().filter(test).toList();
    if (left.isEmpty()) {
      throw new AssertionError(
          "Expected a logged label event "
              + String.join(", ", conditions)
              + ", but none of the "
              + all.size()
              + " logged matches"
              + (matching.size() < all.size()
                  ? " (" + matching.size() + " matched the conditions before the last)"
                  : "")
              + ". Logged:\n"
              + describe(matching.isEmpty() ? all : matching));
    }
    matching = left;
    return this;
  }

  static String describe(List<LoggedLabel> labels) {
    return labels.stream()
            .limit(10)
            .map(
                l ->
                    "  "
                        + l.eventId()
                        + " "
                        + l.labelName()
                        + "="
                        + l.value()
                        + " at "
                        + Instant.EPOCH.plus(l.occurredAtMicros(), ChronoUnit.MICROS)
                        + (l.predictionId() == null ? "" : " prediction=" + l.predictionId())
                        + (l.entityKeys().isEmpty() ? "" : " entities=" + l.entityKeys()))
            .collect(Collectors.joining("\n"))
        + (labels.size() > 10 ? "\n  … and " + (labels.size() - 10) + " more" : "");
  }
}
