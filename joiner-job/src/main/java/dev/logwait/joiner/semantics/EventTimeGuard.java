package dev.logwait.joiner.semantics;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;

/**
 * When an event time is plausible enough to be ingested (and so to move the label watermark or to
 * be finalized): not later than what its Kafka record's timestamp allows, and not before a floor.
 *
 * <p>An event time is <em>out of range</em> when it is later than {@code min(kafka timestamp, now)
 * + maxSkew} or earlier than {@code floor}. Such a message is quarantined with reason {@link
 * #REASON}: one label producer with a bad clock must not close every window at once, and a
 * prediction served "in 2099" or "in 1970" must not be finalized or make the join's arithmetic
 * overflow. A record without a Kafka timestamp (negative) is bounded by {@code now} alone. Event
 * times far in the <em>past</em> of their record are legitimate (a logger's spool, a replay).
 *
 * <p>The label watermark is further bounded by the Kafka timestamps themselves: a partition's
 * progress is the latest {@code least(occurred_at, kafka timestamp)} ({@link #progressTime}), so
 * the watermark never runs ahead of what the broker has seen and its lag is never negative.
 */
public record EventTimeGuard(Duration maxSkew, Instant floor) {
  /** The quarantine reason of an implausible event time. */
  public static final String REASON = "EVENT_TIME_OUT_OF_RANGE";

  /** The plain rule, in microseconds; {@code kafkaMicros < 0} means the record has no timestamp. */
  public boolean outOfRange(long eventMicros, long kafkaMicros, long nowMicros) {
    long upper = (kafkaMicros < 0 ? nowMicros : Math.min(kafkaMicros, nowMicros)) + skewMicros();
    return eventMicros > upper || eventMicros < floorMicros();
  }

  /** {@link #outOfRange(long, long, long)} as the Spark column the decoder uses. */
  public Column outOfRange(Column eventTime, Column kafkaTimestamp, long nowMicros) {
    Column event = unix_micros(eventTime);
    return event.gt(upper(kafkaTimestamp, nowMicros)).or(event.lt(floorMicros()));
  }

  /** Why {@code eventTime} (named {@code field}) is out of range, for the quarantine's detail. */
  public Column detail(String field, Column eventTime, Column kafkaTimestamp, long nowMicros) {
    Column event = unix_micros(eventTime);
    return when(
            event.lt(floorMicros()),
            concat(
                lit(field + " "),
                micros(event),
                lit(" is before min-event-time " + floor + " (quarantined, not ingested)")))
        .otherwise(
            concat(
                lit(field + " "),
                micros(event),
                lit(" is later than the Kafka record's timestamp "),
                micros(unix_micros(kafkaTimestamp)),
                lit(" (or the joiner's clock) plus max-event-time-skew " + text(maxSkew))));
  }

  /**
   * The time a label event may advance its partition's progress by: its {@code occurred_at}, but
   * never past its Kafka record's timestamp (when it has one).
   */
  public static Column progressTime(Column eventTime, Column kafkaTimestamp) {
    Column event = unix_micros(eventTime);
    Column kafka = unix_micros(kafkaTimestamp);
    return when(kafka.geq(0), least(event, kafka)).otherwise(event);
  }

  private Column upper(Column kafkaTimestamp, long nowMicros) {
    Column kafka = unix_micros(kafkaTimestamp);
    return when(kafka.geq(0), least(kafka, lit(nowMicros)))
        .otherwise(lit(nowMicros))
        .plus(skewMicros());
  }

  /** Micros as text; values beyond Spark's timestamp range print as a number. */
  private static Column micros(Column micros) {
    return coalesce(
        org.apache.spark.sql.functions.timestamp_micros(micros).cast("string"),
        micros.cast("string"));
  }

  /** As the configuration writes it: {@code 5m}, {@code 90s}, {@code 1h}. */
  static String text(Duration d) {
    long ms = d.toMillis();
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (ms != 0 && ms % units[i] == 0) {
        return ms / units[i] + names[i];
      }
    }
    return ms + "ms";
  }

  long skewMicros() {
    return TimeUnit.MICROSECONDS.convert(maxSkew);
  }

  long floorMicros() {
    return ChronoUnit.MICROS.between(Instant.EPOCH, floor);
  }
}
