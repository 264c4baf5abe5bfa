package io.expansionsignals.state;

import io.expansionsignals.domain.SharedNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Strings as their UTF-8 bytes after a length (plus one; 0 is null). Bulk copies both ways: the
 * account's strings are mostly short ASCII names, which the JDK encodes and decodes without a
 * per-character loop (Flink's {@code StringValue} walks every character and reaches a thread-local
 * buffer per string, 16 % of a round trip here).
 */
final class Utf8Strings {
    private Utf8Strings() {}

    static void write(DataOutputView out, String s) throws IOException {
        if (s == null) {
            out.writeByte(0);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        VarInts.writeInt(out, bytes.length + 1);
        out.write(bytes);
    }

    static String read(DataInputView in) throws IOException {
        int stored = VarInts.readSize(in);
        if (stored == 0) {
            return null;
        }
        byte[] bytes = new byte[stored - 1];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** {@link #read} for a name from a small vocabulary: the one instance every account shares, see {@link SharedNames}. */
    static String readName(DataInputView in) throws IOException {
        return SharedNames.of(read(in));
    }
}
