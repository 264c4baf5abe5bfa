package io.expansionsignals.io.registry;

/**
 * The registry is up and says this schema id does not exist. For a consumer this is a data
 * problem (the record was written against another registry, or is garbage), so the record
 * goes to dead letters instead of stopping the job.
 */
public final class UnknownSchemaIdException extends SchemaRegistryException {
  private final int schemaId;

  public UnknownSchemaIdException(int schemaId, int httpStatus, int errorCode) {
    super("schema id " + schemaId + " is not known to the registry", httpStatus, errorCode);
    this.schemaId = schemaId;
  }

  public int schemaId() {
    return schemaId;
  }
}
