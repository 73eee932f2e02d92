package dev.logwait.logger.internal;

import java.util.Map;

/**
 * A snapshot of the engine's counts, field for field what the API's {@code LoggerStats} shows
 * (which is built from this one in the API package, so that this package needs nothing from it).
 * The meanings are documented there.
 */
public record Counts(
    long logged,
    long sampledOut,
    long dropped,
    long sent,
    long failed,
    Map<String, Long> failedBy,
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

  /** Records not yet sent, failed, dropped by the spool or held in it. */
  public long inFlight() {
    return Math.max(0, logged + recoveredFromSpool - sent - failed - spoolDropped - spoolRecords);
  }
}
