/**
 * Table upkeep that continuous commits make necessary: small-file compaction and snapshot expiry,
 * never expiring a snapshot that a trainer's cursor or a backfill still needs. Kafka positions need
 * no old snapshot: every logwait snapshot carries the complete map, and a compaction's rewrite is
 * read through to the snapshot before it ({@code Tables.logical}).
 */
package dev.logwait.joiner.upkeep;
