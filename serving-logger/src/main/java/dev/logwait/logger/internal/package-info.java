/**
 * Internal: the engine behind {@code PredictionLogger} and {@code LabelLogger} (queue, worker,
 * Kafka producer, meters). Its types are public only because the API package uses them; they are
 * not part of logwait's API, may change in any release, and a service should never call them.
 */
package dev.logwait.logger.internal;
