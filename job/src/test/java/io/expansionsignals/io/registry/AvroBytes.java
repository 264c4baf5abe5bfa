package io.expansionsignals.io.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.UsageKind;

/** Test helpers: Confluent-framed bytes built by hand, independent of the serializer. */
final class AvroBytes {
  private AvroBytes() {}

  /** Header for {@code id}, then {@code datum} encoded with {@code schema}. */
  static byte[] framed(int id, Schema schema, Object datum) {
    return concat(ConfluentWireFormat.header(id), encode(schema, datum));
  }

  static byte[] encode(Schema schema, Object datum) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      // SpecificData handles both generated records (with their Instant fields) and generic ones.
      new GenericDatumWriter<>(schema, org.apache.avro.specific.SpecificData.getForSchema(schema))
          .write(datum, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] result = new byte[a.length + b.length];
    System.arraycopy(a, 0, result, 0, a.length);
    System.arraycopy(b, 0, result, a.length, b.length);
    return result;
  }

  static UsageEvent usageEvent(String eventId) {
    return UsageEvent.newBuilder()
        .setEventId(eventId)
        .setAccountId("acct-42")
        .setOccurredAt(Instant.parse("2026-11-23T10:15:30.123Z"))
        .setMetric("api_calls")
        .setQuantity(1234L)
        .setKind(UsageKind.DELTA)
        .build();
  }

  /** A generic record of {@code schema} with the given field values, in field order. */
  static GenericData.Record record(Schema schema, Object... values) {
    GenericData.Record record = new GenericData.Record(schema);
    for (int i = 0; i < values.length; i++) {
      record.put(i, values[i]);
    }
    return record;
  }
}
