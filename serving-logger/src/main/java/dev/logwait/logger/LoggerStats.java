package dev.logwait.logger;

import java.util.Map;

/**
 * A snapshot of what a logger did with every record it was given. After {@code close()}, every
 * logged record is either sent or failed: {@code logged == sent + failed}.
 *
 * @param logged records accepted into the queue
 * @param sampledOut predictions that sampling left out (never queued)
 * @param dropped records refused because the queue was full or the logger closed
 * @param sent records the broker acknowledged
 * @param failed records that will never be sent, by error class in {@link #failedBy()}
 * @param failedBy failure counts keyed by the error's class name
 * @param inFlight logged records not yet sent or failed
 * @param schemasPublished writer schemas published to the schemas topic
 */
public record LoggerStats(
    long logged,
    long sampledOut,
    long dropped,
    long sent,
    long failed,
    Map<String, Long> failedBy,
    long inFlight,
    long schemasPublished) {}
