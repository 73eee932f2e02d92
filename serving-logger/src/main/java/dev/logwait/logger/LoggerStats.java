package dev.logwait.logger;

import dev.logwait.logger.internal.Counts;
import java.util.Map;

/**
 * A snapshot of what a logger did with every record it was given. After {@code close()}, every
 * record is accounted for: {@code logged + recoveredFromSpool == sent + failed + spoolDropped +
 * spoolRecords} (without a spool the last three are 0: {@code logged == sent + failed}).
 *
 * @param logged records accepted into the queue
 * @param sampledOut predictions that sampling left out (never queued)
 * @param dropped records refused because the queue was full or the logger closed
 * @param sent records the broker acknowledged (re-sent spooled records included)
 * @param failed records that will never be sent, by error class in {@link #failedBy()}
 * @param failedBy failure counts keyed by the error's class name
 * @param inFlight records not yet sent, failed, dropped by the spool or held in it
 * @param schemasPublished writer schemas published to the schemas topic
 * @param spooled records written to the spool (a record that waited there twice counts twice)
 * @param replayed spooled records that the broker acknowledged when re-sent
 * @param spoolDropped records that found the spool full, and were dropped
 * @param spoolRecords records the spool holds now
 * @param spoolBytes bytes the spool holds now
 * @param spoolCorruptBytes bytes of spool segments that failed their checksum (torn writes), lost
 * @param recoveredFromSpool records found in the spool when the logger started (an earlier run's)
 * @param withUnsetFeatures predictions logged with at least one feature the service never set
 *     (logged as missing: {@link UnsetPolicy#LOG_AS_MISSING}); a subset of {@code logged}
 * @param withoutScore predictions logged without a score (logged as null); a subset of {@code
 *     logged}
 * @param refusedUnset predictions refused because a feature or the score was unset ({@link
 *     UnsetPolicy#REFUSE}); never queued, like {@code sampledOut}
 */
public record LoggerStats(
    long logged,
    long sampledOut,
    long dropped,
    long sent,
    long failed,
    Map<String, Long> failedBy,
    long inFlight,
    long schemasPublished,
    long spooled,
    long replayed,
    long spoolDropped,
    long spoolRecords,
    long spoolBytes,
    long spoolCorruptBytes,
    long recoveredFromSpool,
    long withUnsetFeatures,
    long withoutScore,
    long refusedUnset) {

  /** The engine's counts, as the API shows them. */
  static LoggerStats of(Counts c) {
    return new LoggerStats(
        c.logged(),
        c.sampledOut(),
        c.dropped(),
        c.sent(),
        c.failed(),
        c.failedBy(),
        c.inFlight(),
        c.schemasPublished(),
        c.spooled(),
        c.replayed(),
        c.spoolDropped(),
        c.spoolRecords(),
        c.spoolBytes(),
        c.spoolCorruptBytes(),
        c.recoveredFromSpool(),
        c.withUnsetFeatures(),
        c.withoutScore(),
        c.refusedUnset());
  }
}
