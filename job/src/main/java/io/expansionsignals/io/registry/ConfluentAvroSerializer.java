package io.expansionsignals.io.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Writes records in the Confluent wire format under subject {@code <topic>-value} (Confluent's
 * TopicNameStrategy), so any Confluent-compatible consumer can read the topic. Holds only
 * serializable configuration; the HTTP client, writer and buffers are created on first use on
 * the task manager. Not thread-safe: one instance per Flink subtask.
 */
public class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private final String subject;
  private final RegistrySettings settings;
  private transient SchemaRegistryClient client;
  private transient byte[] header;
  private transient CompiledDatumWriter<T> writer;
  private transient ByteArrayOutputStream buffer;
  private transient BinaryEncoder encoder;

  public ConfluentAvroSerializer(Class<T> type, String topic, RegistrySettings settings) {
    this.type = Objects.requireNonNull(type, "type");
    this.subject = valueSubject(Objects.requireNonNull(topic, "topic"));
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** The subject Confluent's default TopicNameStrategy uses for a topic's values. */
  public static String valueSubject(String topic) {
    return topic + "-value";
  }

  public String subject() {
    return subject;
  }

  public byte[] serialize(T record) {
    Objects.requireNonNull(record, "record");
    if (header == null) {
      open();
    }
    buffer.reset();
    buffer.writeBytes(header);
    try {
      // Buffered: a direct encoder made one (synchronized) stream write per field.
      encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
      writer.write(record, encoder);
      encoder.flush();
    } catch (IOException e) {
      encoder = null; // may hold part of this record
      throw new UncheckedIOException("cannot encode " + type.getName(), e); // a memory stream
    } catch (RuntimeException e) {
      encoder = null;
      throw e;
    }
    return buffer.toByteArray();
  }

  /** The registry id of this serializer's writer schema, resolved on first use. */
  public int schemaId() {
    if (header == null) {
      open();
    }
    return ConfluentWireFormat.readSchemaId(header);
  }

  private void open() {
    SpecificData model = SpecificData.getForClass(type); // carries the Instant conversions
    Schema schema = model.getSchema(type);
    int id = settings.autoRegister()
        ? client().register(subject, schema)
        : client().lookup(subject, schema).orElseThrow(() -> new SchemaRegistryException(
            "schema " + schema.getFullName() + " is not registered under subject '" + subject
                + "' and auto-registration is off: register it first (e.g. in the deployment)",
            404, -1));
    writer = new CompiledDatumWriter<>(schema, model);
    buffer = new ByteArrayOutputStream(256);
    header = ConfluentWireFormat.header(id);
  }

  private SchemaRegistryClient client() {
    if (client == null) {
      client = new SchemaRegistryClient(settings);
    }
    return client;
  }
}
