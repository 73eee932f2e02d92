package dev.logwait.joiner.trainer;

import java.time.Instant;

/**
 * One committed cursor: {@code trainer} consumed {@code table} through {@code snapshotId} (rows
 * final through {@code finalThrough}, the label watermark of that commit), producing {@code
 * modelVersion} from {@code baseModel} (null: trained from scratch).
 */
public record Cursor(
    String trainer,
    String table,
    long snapshotId,
    Instant finalThrough,
    long rows,
    String modelVersion,
    String baseModel,
    Instant committedAt) {}
