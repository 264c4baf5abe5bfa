package io.expansionsignals.testutils;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * A consumer written only from the public Confluent wire-format documentation, sharing no code
 * with the job's registry package: if this reads our output, so can any Confluent-compatible
 * consumer. It decodes with the writer schema into a GenericRecord (no generated classes, no
 * logical-type conversions: timestamps stay epoch-millis longs, as other languages see them).
 */
public final class IndependentConfluentReader {
  private final String registryUrl;
  private final Map<Integer, Schema> schemas = new HashMap<>();

  /** @param registryUrl base of the Confluent API, e.g. http://host:port/apis/ccompat/v7 */
  public IndependentConfluentReader(String registryUrl) {
    this.registryUrl = registryUrl;
  }

  /** The schema id in the message's 5-byte header. */
  public int schemaId(byte[] message) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
      int magic = in.readUnsignedByte();
      if (magic != 0) {
        throw new IllegalArgumentException("magic byte " + magic + ", expected 0");
      }
      return in.readInt(); // DataInputStream reads big-endian, as the format specifies
    } catch (IOException e) {
      throw new IllegalArgumentException("message shorter than the 5-byte header", e);
    }
  }

  /** Decodes one message; fails if any byte is left over after the record. */
  public GenericRecord read(byte[] message) {
    Schema writer = schema(schemaId(message));
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(message, 5, message.length - 5, null);
    try {
      GenericRecord record = new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
      if (!decoder.isEnd()) {
        throw new IllegalArgumentException("bytes left after the record");
      }
      return record;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot decode with schema " + writer.getFullName(), e);
    }
  }

  /** The writer schema, fetched with a plain GET /schemas/ids/{id}. */
  public Schema schema(int id) {
    return schemas.computeIfAbsent(id, this::fetch);
  }

  private Schema fetch(int id) {
    try {
      HttpURLConnection connection =
          (HttpURLConnection) new URL(registryUrl + "/schemas/ids/" + id).openConnection();
      connection.setRequestProperty("Accept", "application/vnd.schemaregistry.v1+json");
      if (connection.getResponseCode() != 200) {
        throw new IllegalStateException("GET schema id " + id + ": HTTP " + connection.getResponseCode());
      }
      try (InputStream body = connection.getInputStream()) {
        String schemaJson = new ObjectMapper().readTree(body).get("schema").asText();
        return new Schema.Parser().parse(schemaJson);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot fetch schema id " + id + " from " + registryUrl, e);
    }
  }
}
