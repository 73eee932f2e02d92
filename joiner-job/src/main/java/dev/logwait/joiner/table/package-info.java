/**
 * The Iceberg tables: names, DDL, the branch-commit protocol, snapshot properties, the runs audit.
 * Internal: no compatibility is promised.
 */
package dev.logwait.joiner.table;
