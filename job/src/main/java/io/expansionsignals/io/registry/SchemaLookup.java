package io.expansionsignals.io.registry;

import org.apache.avro.Schema;

/**
 * Resolves a writer schema id. The decoder depends on this rather than on the HTTP client so
 * its failure handling can be unit-tested without a server.
 */
@FunctionalInterface
public interface SchemaLookup {
  /**
   * @throws UnknownSchemaIdException the registry does not know the id (a data problem)
   * @throws RegistryUnavailableException the registry could not be asked (infrastructure)
   */
  Schema getById(int id);
}
