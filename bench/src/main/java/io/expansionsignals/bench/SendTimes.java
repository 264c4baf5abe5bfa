package io.expansionsignals.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each input of a latency run was sent, found by its event id, with no allocation per send.
 *
 * <p>Why not a map from event id to time: at 75 k ev/s a run of 35 s put 2.6 M entries (a node
 * and a boxed time each, ~48 B) into a hash table that was itself allocated during the run. Every
 * entry survived the young collections and was copied and promoted, and every put marked a card of
 * the table for the collector to scan: the benchmark's own bookkeeping made up half to two thirds
 * of what the old generation gained in a latency run, and the young pauses the job under
 * measurement sat through were two to three times its own (docs/performance-history.md, change 49). Here everything is allocated
 * before the run's start collects the heap, and a send writes one slot of a primitive array.
 */
final class SendTimes {
    private final List<CapturedWorkload.Entry> entries;
    /** Open addressing by the event id's hash: entry index + 1, 0 for an empty slot. */
    private final int[] slots;
    /** Epoch ms of each entry's send; 0 until sent. */
    private final AtomicLongArray sent;

    SendTimes(List<CapturedWorkload.Entry> entries) {
        this.entries = entries;
        this.slots = new int[Integer.highestOneBit(Math.max(1, entries.size()) * 2 - 1) << 1];
        this.sent = new AtomicLongArray(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            int slot = find(entries.get(i).eventId());
            if (slots[slot] == 0) {
                slots[slot] = i + 1; // a duplicate (a retry, sent right after it) keeps the first's slot
            }
        }
    }

    /** Notes that entry {@code index} was sent at {@code epochMillis}; the reader thread sees it. */
    void sent(int index, long epochMillis) {
        sent.setRelease(index, epochMillis);
    }

    /**
     * Send time of the first input with this event id, or null if there is none or it was not sent
     * yet: the job drops a duplicate and its outputs are the first one's.
     */
    Long of(String eventId) {
        int index = slots[find(eventId)] - 1;
        if (index < 0) {
            return null;
        }
        long at = sent.getAcquire(index);
        return at == 0 ? null : at;
    }

    /** The slot holding {@code eventId}, or the empty slot where it would go. */
    private int find(String eventId) {
        int mask = slots.length - 1;
        int slot = mix(eventId.hashCode()) & mask;
        while (slots[slot] != 0 && !entries.get(slots[slot] - 1).eventId().equals(eventId)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /** Spreads String hash codes, whose low bits cluster for ids that differ only at the end. */
    private static int mix(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
