package io.expansionsignals.io.registry;

import org.apache.avro.Schema;

/**
 * Checks that bytes are exactly one well-formed Avro binary encoding of a writer schema, before
 * the real decode. Why: Avro's decoder allocates whatever length a (possibly garbage) prefix
 * declares, so eight random bytes can allocate 1 GB and stall or kill the task manager. Here
 * every declared length and count is checked against the bytes actually left, nothing is
 * allocated, and the first problem is described with its field path.
 */
final class AvroBinaryValidator {
  private static final int MAX_DEPTH = 100; // only recursive schemas nest deeper; stack safety

  private final byte[] data;
  private final int end;
  private int pos;

  private AvroBinaryValidator(byte[] data, int offset) {
    this.data = data;
    this.pos = offset;
    this.end = data.length;
  }

  /** Why {@code data[offset..]} is not one encoded {@code schema} value, or null if it is. */
  static String problem(Schema schema, byte[] data, int offset) {
    AvroBinaryValidator validator = new AvroBinaryValidator(data, offset);
    try {
      validator.check(schema, 0);
    } catch (Malformed e) {
      return e.getMessage();
    }
    int trailing = validator.end - validator.pos;
    return trailing == 0 ? null
        : trailing + " trailing bytes after a complete " + schema.getFullName() + " record";
  }

  private void check(Schema schema, int depth) {
    if (depth > MAX_DEPTH) {
      throw new Malformed("nested deeper than " + MAX_DEPTH + " levels");
    }
    switch (schema.getType()) {
      case NULL -> { }
      case BOOLEAN -> {
        int b = nextByte("boolean");
        if (b > 1) {
          throw new Malformed("boolean byte is " + b + ", expected 0 or 1");
        }
      }
      case INT -> readInt("int");
      case LONG -> readLong("long");
      case FLOAT -> skip(4, "float");
      case DOUBLE -> skip(8, "double");
      case STRING, BYTES -> skip(readLength(schema.getType().getName()), schema.getType().getName());
      case FIXED -> skip(schema.getFixedSize(), "fixed");
      case ENUM -> index(schema.getEnumSymbols().size(), "enum " + schema.getFullName());
      case UNION -> {
        int branch = index(schema.getTypes().size(), "union");
        check(schema.getTypes().get(branch), depth + 1);
      }
      case ARRAY -> blocks(schema.getElementType(), null, depth);
      case MAP -> blocks(schema.getValueType(), Schema.create(Schema.Type.STRING), depth);
      case RECORD -> {
        for (Schema.Field field : schema.getFields()) {
          try {
            check(field.schema(), depth + 1);
          } catch (Malformed e) {
            throw e.inField(field.name());
          }
        }
      }
    }
  }

  /** Arrays and maps: blocks of items, each block preceded by its count, ended by count 0. */
  private void blocks(Schema item, Schema key, int depth) {
    long count = readLong("block count");
    while (count != 0) {
      if (count < 0) { // a negative count is followed by the block's size in bytes
        count = -count;
        readLength("block size");
      }
      if (count < 0) { // Long.MIN_VALUE has no positive counterpart
        throw new Malformed("invalid block count");
      }
      // Every item of our schemas takes at least one byte, so a larger count is garbage.
      if (count > end - pos) {
        throw new Malformed("block of " + count + " items but only " + (end - pos) + " bytes left");
      }
      for (long i = 0; i < count; i++) {
        if (key != null) {
          check(key, depth + 1);
        }
        check(item, depth + 1);
      }
      count = readLong("block count");
    }
  }

  private int index(int size, String what) {
    int index = readInt(what + " index");
    if (index < 0 || index >= size) {
      throw new Malformed(what + " index " + index + " is outside 0.." + (size - 1));
    }
    return index;
  }

  private int readLength(String what) {
    long length = readLong(what + " length");
    if (length < 0 || length > end - pos) {
      throw new Malformed(what + " length " + length + " but only " + (end - pos) + " bytes left");
    }
    return (int) length;
  }

  private int readInt(String what) {
    long value = readVarint(5, what);
    if (value != (int) value) {
      throw new Malformed(what + ": invalid int encoding");
    }
    return (int) value;
  }

  private long readLong(String what) {
    return readVarint(10, what);
  }

  /** Zig-zag varint, as Avro encodes int and long. */
  private long readVarint(int maxBytes, String what) {
    long raw = 0;
    for (int i = 0; i < maxBytes; i++) {
      int b = nextByte(what);
      raw |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new Malformed(what + ": varint longer than " + maxBytes + " bytes");
  }

  private int nextByte(String what) {
    if (pos >= end) {
      throw new Malformed("data ends inside " + what);
    }
    return data[pos++] & 0xff;
  }

  private void skip(int n, String what) {
    if (n > end - pos) {
      throw new Malformed("data ends inside " + what + " (" + n + " bytes needed, " + (end - pos) + " left)");
    }
    pos += n;
  }

  /** Control flow for the failure path only, so no stack trace is filled in. */
  private static final class Malformed extends RuntimeException {
    Malformed(String message) {
      super(message, null, false, false);
    }

    Malformed inField(String field) {
      String message = getMessage();
      return new Malformed(message.startsWith("field ")
          ? "field " + field + "." + message.substring("field ".length())
          : "field " + field + ": " + message);
    }
  }
}
