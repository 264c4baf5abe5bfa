package io.expansionsignals.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SignalIdsTest {
    @Test
    void anIdOfPartsIsTheNameBasedUuidOfTheirLengthPrefixedText() {
        String expected = UUID.nameUUIDFromBytes("8:acct-001|5:LIMIT|4:80.0|".getBytes(StandardCharsets.UTF_8)).toString();

        assertEquals(expected, SignalIds.of("acct-001", "LIMIT", 80.0));
        // fixed here, so that no change of the derivation goes unnoticed: consumers hold such ids
        assertEquals("3bb5b6b5-46f8-36fb-a82f-745542357ed0", SignalIds.of("acct-001", "LIMIT", 80.0));
        assertNotEquals(SignalIds.of("ab", "c"), SignalIds.of("a", "bc"), "length prefixes keep parts apart");
    }
}
