package io.expansionsignals.io.registry;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the
 * Avro binary encoding of the record (no Avro container header). Any Confluent-compatible
 * consumer, in any language, reads exactly this.
 */
public final class ConfluentWireFormat {
  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_LENGTH = 5;

  private ConfluentWireFormat() {}

  /** Writes the 5-byte header into {@code target} at {@code offset}. */
  public static void writeHeader(byte[] target, int offset, int schemaId) {
    target[offset] = MAGIC_BYTE;
    target[offset + 1] = (byte) (schemaId >>> 24);
    target[offset + 2] = (byte) (schemaId >>> 16);
    target[offset + 3] = (byte) (schemaId >>> 8);
    target[offset + 4] = (byte) schemaId;
  }

  /** A new 5-byte header. */
  public static byte[] header(int schemaId) {
    byte[] header = new byte[HEADER_LENGTH];
    writeHeader(header, 0, schemaId);
    return header;
  }

  /**
   * Why {@code value} is not a Confluent-framed message, or null if its header is well formed.
   * Kept separate from {@link #readSchemaId} so callers can report the reason without exceptions.
   */
  public static String headerProblem(byte[] value) {
    if (value == null) {
      return "value is null (a tombstone or an empty message), expected Confluent wire format";
    }
    if (value.length < HEADER_LENGTH) {
      return "value has " + value.length + " bytes, the Confluent wire format needs at least "
          + HEADER_LENGTH + " (magic byte and 4-byte schema id)";
    }
    if (value[0] != MAGIC_BYTE) {
      return String.format(
          "magic byte is 0x%02x, expected 0x00: not in the Confluent wire format", value[0] & 0xff);
    }
    return null;
  }

  /** The schema id of a message whose header {@link #headerProblem} accepted. */
  public static int readSchemaId(byte[] value) {
    if (headerProblem(value) != null) {
      throw new IllegalArgumentException(headerProblem(value));
    }
    return ByteBuffer.wrap(value, 1, 4).getInt();
  }
}
