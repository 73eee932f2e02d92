package dev.logwait.schema;

/** A feature set or schema change that Avro (or the training table) cannot resolve. */
public class IncompatibleSchemaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * A refusal.
   *
   * @param message what cannot be resolved, naming the feature set, version and field
   */
  public IncompatibleSchemaException(String message) {
    super(message);
  }
}
