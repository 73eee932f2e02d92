/**
 * Lineage as OpenLineage run events (spec 2-0-2), written as JSON by hand (OpenLineage's Java
 * client is not served from this build's repository): a joiner run reads Kafka topics (from and to
 * offsets) and writes Iceberg tables (snapshot ids, rows); a trainer's batch reads a training table
 * (a snapshot range, as a dataset version) and the model it starts from, and writes a model. Sent
 * to a file or an HTTP endpoint such as Marquez's ({@code lineage.url}).
 */
package dev.logwait.joiner.lineage;
