package io.expansionsignals.io.registry;

import java.time.Duration;

/**
 * The registry is up and says this schema id does not exist. For a consumer this is a data
 * problem (the record was written against another registry, or is garbage), so the record
 * goes to dead letters instead of stopping the job.
 */
public final class UnknownSchemaIdException extends SchemaRegistryException {
  private final int schemaId;

  public UnknownSchemaIdException(int schemaId, int httpStatus, int errorCode) {
    this(schemaId, httpStatus, errorCode, Duration.ZERO);
  }

  /** @param recheckAfter how long the client answers this id as unknown before asking again */
  public UnknownSchemaIdException(int schemaId, int httpStatus, int errorCode, Duration recheckAfter) {
    super("schema id " + schemaId + " is not known to the registry"
        + (recheckAfter.isZero() ? "" : " (looked up again " + readable(recheckAfter) + " after the registry said so)"),
        httpStatus, errorCode);
    this.schemaId = schemaId;
  }

  private static String readable(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  public int schemaId() {
    return schemaId;
  }
}
