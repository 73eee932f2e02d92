package dev.logwait.logger.internal;

import java.time.Duration;
import java.util.Map;

/**
 * Validated settings shared by every logger; built by the public builders. {@code spoolDir} null:
 * no spool.
 */
public record LoggerSettings(
    String topic,
    String schemasTopic,
    String clientId,
    Map<String, Object> producerProps,
    int queueCapacity,
    Duration closeTimeout,
    boolean createSchemasTopic,
    Object meterRegistry,
    java.nio.file.Path spoolDir,
    long spoolMaxBytes,
    Spool.Sync spoolSync) {}
