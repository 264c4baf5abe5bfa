package io.expansionsignals.io.registry;

import io.expansionsignals.schema.DeadLetterReason;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Decodes Confluent-framed Avro into a generated class. Never throws for bad data: the result
 * carries a {@link DeadLetterReason} instead. Only {@link RegistryUnavailableException} (and
 * registry misconfiguration) propagates, because an outage is not the record's fault.
 *
 * <p>The writer schema (by id, from the registry) is resolved against the reader schema (the
 * class's own), so records written by older or newer compatible producers decode correctly;
 * records of a writer schema that encodes exactly as the class's own are read without resolution.
 * Not thread-safe: one instance per Flink subtask.
 */
public class ConfluentAvroDecoder<T extends SpecificRecord> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private final RegistrySettings settings;
  private transient SchemaLookup lookup;
  private transient Map<Integer, Writer<T>> writers;
  private transient BinaryDecoder reusableDecoder;

  /**
   * Per writer schema id: a resolving reader, or, when the writer's schema encodes exactly as the
   * class's own (the same parsing canonical form, the usual case), a planned reader that needs no
   * resolution; or the reason that id can never be read.
   */
  private record Writer<T>(Schema schema, SpecificDatumReader<T> reader, CompiledDatumReader<T> planned,
      String incompatibility) {}

  public ConfluentAvroDecoder(Class<T> type, RegistrySettings settings) {
    this.type = type;
    this.settings = settings;
  }

  /** For tests without a server; such an instance cannot be shipped to a cluster. */
  ConfluentAvroDecoder(Class<T> type, SchemaLookup lookup) {
    this.type = type;
    this.settings = null;
    this.lookup = lookup;
  }

  public DecodeResult<T> decode(byte[] value) {
    String headerProblem = ConfluentWireFormat.headerProblem(value);
    if (headerProblem != null) {
      return DecodeResult.failure(DeadLetterReason.UNDECODABLE, headerProblem, -1);
    }
    int id = ConfluentWireFormat.readSchemaId(value);
    Writer<T> writer;
    try {
      writer = writerFor(id);
    } catch (UnknownSchemaIdException e) {
      // Not cached here: a producer may register the id later (the client asks again after its TTL).
      return DecodeResult.failure(DeadLetterReason.UNKNOWN_SCHEMA_ID, e.getMessage(), id);
    }
    if (writer.incompatibility() != null) {
      return DecodeResult.failure(DeadLetterReason.INCOMPATIBLE_SCHEMA, writer.incompatibility(), id);
    }
    String malformed =
        AvroBinaryValidator.problem(writer.schema(), value, ConfluentWireFormat.HEADER_LENGTH);
    if (malformed != null) {
      return DecodeResult.failure(DeadLetterReason.UNDECODABLE,
          "not a valid Avro encoding of writer schema id " + id + ": " + malformed, id);
    }
    try {
      reusableDecoder = DecoderFactory.get().binaryDecoder(value, ConfluentWireFormat.HEADER_LENGTH,
          value.length - ConfluentWireFormat.HEADER_LENGTH, reusableDecoder);
      T event = writer.planned() != null ? writer.planned().read(reusableDecoder) : writer.reader().read(null, reusableDecoder);
      return DecodeResult.ok(event, id);
    } catch (AvroTypeException e) {
      // The bytes are well formed (validated above), so this is schema resolution failing.
      return DecodeResult.failure(DeadLetterReason.INCOMPATIBLE_SCHEMA,
          "writer schema id " + id + " could not be resolved to " + type.getName() + ": " + e.getMessage(), id);
    } catch (IOException | RuntimeException e) {
      return DecodeResult.failure(DeadLetterReason.UNDECODABLE,
          "could not decode with writer schema id " + id + ": " + e, id);
    }
  }

  private Writer<T> writerFor(int id) {
    if (writers == null) {
      writers = new HashMap<>();
    }
    Writer<T> writer = writers.get(id);
    if (writer == null) {
      try {
        writer = resolve(id, lookup().getById(id));
      } catch (NotAvroSchemaException e) {
        // A Protobuf or JSON schema stays one: without this, a producer of another format cost a
        // registry request for every record it wrote.
        writer = new Writer<>(null, null, null, e.getMessage());
      }
      writers.put(id, writer); // ids are immutable, so this holds for the life of the job
    }
    return writer;
  }

  private Writer<T> resolve(int id, Schema writerSchema) {
    SpecificData model = SpecificData.getForClass(type); // carries the Instant conversions
    Schema readerSchema = model.getSchema(type);
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writerSchema);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      String why = compatibility.getResult().getIncompatibilities().stream()
          .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
          .collect(Collectors.joining("; "));
      return new Writer<>(writerSchema, null, null, "writer schema id " + id + " ("
          + writerSchema.getFullName() + ") cannot be read as " + type.getName() + ": " + why);
    }
    // Schemas with the same parsing canonical form have the same binary encoding, field for field:
    // such bytes need no resolution, and the planned reader takes the class's own logical types.
    boolean sameEncoding = SchemaNormalization.parsingFingerprint64(writerSchema)
        == SchemaNormalization.parsingFingerprint64(readerSchema);
    return sameEncoding ? new Writer<>(writerSchema, null, new CompiledDatumReader<>(readerSchema, model), null)
        : new Writer<>(writerSchema, new SpecificDatumReader<>(writerSchema, readerSchema, model), null, null);
  }

  /** Whether records of writer schema {@code id} are read without resolution (for tests; looks the id up if needed). */
  boolean readsWithoutResolution(int id) {
    return writerFor(id).planned() != null;
  }

  /** Requests this decoder's registry client has sent (0 before the first look-up, or with a test lookup). */
  public long registryRequests() {
    return lookup instanceof SchemaRegistryClient client ? client.requests() : 0;
  }

  private SchemaLookup lookup() {
    if (lookup == null) {
      if (settings == null) {
        throw new IllegalStateException("decoder built with a test lookup cannot be shipped");
      }
      lookup = new SchemaRegistryClient(settings);
    }
    return lookup;
  }
}
