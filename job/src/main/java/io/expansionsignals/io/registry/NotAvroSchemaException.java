package io.expansionsignals.io.registry;

/**
 * The id exists but its schema is not a usable Avro schema (e.g. a JSON-Schema or Protobuf
 * subject). For a consumer this is a data problem: someone wrote a foreign format to the topic.
 */
public final class NotAvroSchemaException extends SchemaRegistryException {
  public NotAvroSchemaException(String message, Throwable cause) {
    super(message, cause);
  }
}
