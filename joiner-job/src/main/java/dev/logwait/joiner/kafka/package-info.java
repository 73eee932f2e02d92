/**
 * Kafka as the joiner sees it: committed positions (complete offset maps), offset bounds,
 * reachability. Internal: no compatibility is promised.
 */
package dev.logwait.joiner.kafka;
