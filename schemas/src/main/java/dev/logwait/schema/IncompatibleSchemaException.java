package dev.logwait.schema;

/** A feature set or schema change that Avro (or the training table) cannot resolve. */
public class IncompatibleSchemaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IncompatibleSchemaException(String message) {
    super(message);
  }
}
