/**
 * Kafka to raw_predictions, raw_labels and quarantine, exactly once, as named steps ({@link
 * dev.logwait.joiner.ingest.Ingest#run}). Internal: no compatibility is promised.
 */
package dev.logwait.joiner.ingest;
