package io.expansionsignals.io.registry;

/**
 * The registry answered with an error that is neither "unknown id" nor "unavailable", e.g. 409
 * (incompatible new version), 422 (invalid schema) or 401 (bad credentials). These are
 * configuration or deployment problems, so callers must not turn them into dead letters.
 */
public class SchemaRegistryException extends RuntimeException {
  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(String message, int httpStatus, int errorCode) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = -1;
    this.errorCode = -1;
  }

  /** HTTP status of the failing response, or -1 when there was none. */
  public int httpStatus() {
    return httpStatus;
  }

  /** Confluent {@code error_code} from the response body (e.g. 40403, 409), or -1. */
  public int errorCode() {
    return errorCode;
  }
}
