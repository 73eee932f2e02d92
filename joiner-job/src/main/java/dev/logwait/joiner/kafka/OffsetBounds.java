package dev.logwait.joiner.kafka;

/**
 * A partition's offsets as Kafka holds them now.
 *
 * @param earliest the first offset still in the log (earlier ones fell out of retention)
 * @param latest the log end: the offset the next record will get
 * @param newestTimestamp the largest Kafka timestamp (millis) of its records, or -1 when none
 * @param readAtMillis when the driver read these bounds (what quiet times are measured against)
 */
public record OffsetBounds(long earliest, long latest, long newestTimestamp, long readAtMillis) {}
