package dev.logwait.joiner.retrain;

/**
 * One retraining condition as evaluated: whether it holds, the figure it compared with its
 * threshold, and why, in words an operator can act on.
 *
 * @param name {@value Conditions#DRIFT}, {@value Conditions#LABEL_RATE} or {@value
 *     Conditions#NEW_ROWS}
 * @param trainer the trainer it was evaluated for, or null (no trainer has a cursor)
 */
public record Condition(
    String name, String trainer, boolean holds, double value, double threshold, String reason) {}
