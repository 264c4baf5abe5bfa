package io.expansionsignals.workload;

import io.expansionsignals.io.registry.ConfluentWireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Confluent-framed Avro without a registry: the generator needs real Avro bodies to break
 * (truncate, put behind an unknown schema id) without talking to a registry.
 */
final class AvroBytes {
    private AvroBytes() {}

    /** Header with {@code schemaId}, then the record's Avro binary body. */
    static byte[] framed(SpecificRecord record, int schemaId) {
        byte[] body = body(record);
        byte[] out = new byte[ConfluentWireFormat.HEADER_LENGTH + body.length];
        ConfluentWireFormat.writeHeader(out, 0, schemaId);
        System.arraycopy(body, 0, out, ConfluentWireFormat.HEADER_LENGTH, body.length);
        return out;
    }

    @SuppressWarnings("unchecked")
    static byte[] body(SpecificRecord record) {
        SpecificData model = SpecificData.getForClass(record.getClass()); // Instant conversions
        var writer = new SpecificDatumWriter<SpecificRecord>(record.getSchema(), model);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(buffer, null);
        try {
            writer.write(record, encoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a memory stream cannot fail
        }
        return buffer.toByteArray();
    }
}
