package dev.logwait.joiner.kafka;

/**
 * A partition's offsets as Kafka holds them now.
 *
 * @param earliest the first offset still in the log (earlier ones fell out of retention)
 * @param latest the log end: the offset the next record will get
 */
public record OffsetBounds(long earliest, long latest) {}
