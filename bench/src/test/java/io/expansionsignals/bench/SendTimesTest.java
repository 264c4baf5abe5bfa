package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendTimesTest {
    private static CapturedWorkload.Entry entry(String eventId) {
        return new CapturedWorkload.Entry("usage-events", new byte[0], new byte[0], eventId);
    }

    @Test
    void findsEachSentInputByItsEventIdAndNothingBeforeItIsSent() {
        List<CapturedWorkload.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            entries.add(entry("evt-" + i)); // ids that differ only at the end, as the generator's do
        }
        SendTimes times = new SendTimes(entries);
        for (int i = 0; i < entries.size(); i += 2) {
            times.sent(i, 1_700_000_000_000L + i);
        }

        for (int i = 0; i < entries.size(); i++) {
            Long at = times.of("evt-" + i);
            if (i % 2 == 0) {
                assertEquals(1_700_000_000_000L + i, at, "evt-" + i);
            } else {
                assertNull(at, "evt-" + i + " was not sent yet");
            }
        }
        assertNull(times.of("evt-10000"), "an id the workload does not have");
    }

    @Test
    void aDuplicateIsTimedFromTheFirstSend() {
        // the generator's duplicates are retries: the same record again, right after the first;
        // the job keeps the first, so its outputs are timed from the first send
        SendTimes times = new SendTimes(List.of(entry("a"), entry("b"), entry("a")));
        times.sent(0, 100);
        times.sent(1, 101);
        times.sent(2, 102);

        assertEquals(100L, times.of("a"));
        assertEquals(101L, times.of("b"));
    }

    @Test
    void collidingHashCodesAreTold() {
        // "Aa" and "BB" have the same String hash code, so they probe the same slots
        SendTimes times = new SendTimes(List.of(entry("Aa"), entry("BB"), entry("AaAa"), entry("BBBB"), entry("AaBB")));
        times.sent(1, 7);
        times.sent(3, 9);

        assertNull(times.of("Aa"));
        assertEquals(7L, times.of("BB"));
        assertNull(times.of("AaAa"));
        assertEquals(9L, times.of("BBBB"));
        assertNull(times.of("BBAa"), "same hash code, not in the workload");
    }

    @Test
    void anEmptyWorkloadHasNoTimes() {
        assertNull(new SendTimes(List.of()).of("a"));
    }
}
