package io.expansionsignals.state;

import io.expansionsignals.domain.EmptyArrays;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Zig-zag variable-length integers, as in protobuf: 7 bits per byte, small magnitudes of either
 * sign in one or two bytes. An epoch-millisecond time takes 6 bytes instead of 8, a count or a
 * -1 sentinel one.
 */
final class VarInts {
    private VarInts() {}

    static void writeLong(DataOutputView out, long v) throws IOException {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.writeByte((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.writeByte((int) z);
    }

    static long readLong(DataInputView in) throws IOException {
        long z = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = in.readByte();
            z |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return (z >>> 1) ^ -(z & 1);
            }
        }
        throw new IOException("malformed variable-length integer in account state: more than 10 bytes");
    }

    static void writeInt(DataOutputView out, int v) throws IOException {
        writeLong(out, v);
    }

    static int readInt(DataInputView in) throws IOException {
        long v = readLong(in);
        if (v != (int) v) {
            throw new IOException("malformed account state: " + v + " where an int was expected");
        }
        return (int) v;
    }

    /** A count or length: never negative, so a negative one is corrupt input, not a huge allocation. */
    static int readSize(DataInputView in) throws IOException {
        int n = readInt(in);
        if (n < 0) {
            throw new IOException("malformed account state: negative length " + n);
        }
        return n;
    }

    /**
     * The first {@code count} values, each as its difference to the one before (times in order
     * become a byte or two each); the count is the caller's to write.
     */
    static void writeDeltas(DataOutputView out, long[] values, int count) throws IOException {
        long previous = 0;
        for (int i = 0; i < count; i++) {
            writeLong(out, values[i] - previous);
            previous = values[i];
        }
    }

    /** Reads {@code count} values {@link #writeDeltas} wrote into an array of {@code capacity} (at least the count). */
    static long[] readDeltas(DataInputView in, int count, int capacity) throws IOException {
        int length = Math.max(capacity, count);
        if (length == 0) {
            return EmptyArrays.LONGS; // a DELTA metric's two gauge arrays: shared, not two objects per metric
        }
        long[] values = new long[length];
        long previous = 0;
        for (int i = 0; i < count; i++) {
            previous += readLong(in);
            values[i] = previous;
        }
        return values;
    }
}
