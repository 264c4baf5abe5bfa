package io.expansionsignals.io.registry;

/**
 * The registry could not be reached or answered 5xx for longer than the configured retry time.
 * An infrastructure problem: it must propagate so Flink fails the task and restarts from its
 * last checkpoint; turning it into a dead letter would silently drop good records.
 */
public final class RegistryUnavailableException extends RuntimeException {
  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
