package dev.logwait.joiner.config;

/** A configuration that cannot run; the message names the key and says what is allowed. */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
