/**
 * Internal: what the serving logger needs of a feature set beyond its API (the storage layout), and
 * the one way logwait reads a whole compacted topic (the schemas and posteriors topics). Not part
 * of logwait's API; it may change in any release.
 */
package dev.logwait.schema.internal;
