package io.expansionsignals.domain;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic ids: a name-based UUID of the parts that make a signal what it is (account, type,
 * metric, level, period, cause). The same input gives the same id on every replay, so consumers
 * can de-duplicate after a restart.
 */
public final class SignalIds {
    private SignalIds() {}

    public static String of(Object... parts) {
        StringBuilder sb = new StringBuilder(64);
        for (Object p : parts) {
            String s = String.valueOf(p);
            // Length-prefix each part so ("ab","c") and ("a","bc") never collide.
            sb.append(s.length()).append(':').append(s).append('|');
        }
        return UUID.nameUUIDFromBytes(sb.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }
}
