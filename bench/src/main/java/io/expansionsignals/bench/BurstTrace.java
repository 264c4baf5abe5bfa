package io.expansionsignals.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A timer burst told apart subtask by subtask. Each keyed subtask's watermark jumps only after it
 * has taken in every record it will get (the tail's records precede the watermark on every channel),
 * so a subtask's burst cannot begin before its count of records taken in reaches its final value.
 * Its timers fired since the last poll that still saw that count short are its share of the burst;
 * one sum over subtasks could not say where that is, because one subtask may fire its share while
 * another still works through the main input.
 */
final class BurstTrace {
    /**
     * What one poll saw: records taken in and timers fired, per keyed subtask; outputs written in
     * all; checkpoints completed and the last one's duration.
     */
    record Poll(long nanos, long[] takenIn, long[] timers, long outputs, long checkpoints, long lastCheckpointMs) {}

    /**
     * The burst: {@code timers} fired from the first poll that saw one of them ({@code startNanos})
     * to the last poll that saw the count change ({@code endNanos}); the outputs written from the
     * poll before its start to the end of the trace; the longest checkpoint completed after its start,
     * and how many completed while it lasted (none when a checkpoint waits for the whole burst).
     */
    record Burst(long timers, long startNanos, long endNanos, long outputs, long longestCheckpointMs,
            long checkpointsDuring) {
        static final Burst NONE = new Burst(0, 0, 0, 0, 0, 0);
    }

    private final List<Poll> polls = new ArrayList<>();

    void add(Poll poll) {
        polls.add(poll);
    }

    /** Timers fired so far, over every subtask. */
    long timersNow() {
        return polls.isEmpty() ? 0 : sum(polls.get(polls.size() - 1).timers());
    }

    /** The burst in the trace so far; all timers zero if no subtask has fired one since taking in its last record. */
    Burst burst() {
        if (polls.isEmpty()) {
            return Burst.NONE;
        }
        Poll last = polls.get(polls.size() - 1);
        int subtasks = Math.max(last.timers().length, last.takenIn().length);
        long timers = 0;
        int startAt = -1;
        for (int s = 0; s < subtasks; s++) {
            int lastShort = lastPollShortOfFinal(s, at(last.takenIn(), s));
            long before = lastShort < 0 ? 0 : at(polls.get(lastShort).timers(), s);
            timers += at(last.timers(), s) - before;
            for (int i = lastShort + 1; i < polls.size(); i++) {
                if (at(polls.get(i).timers(), s) > before) {
                    startAt = startAt < 0 ? i : Math.min(startAt, i);
                    break;
                }
            }
        }
        if (startAt < 0) {
            return Burst.NONE;
        }
        int endAt = startAt;
        long longest = 0;
        // a checkpoint completed by the first poll that saw the burst is counted as one before it
        long checkpointsAtStart = polls.get(startAt).checkpoints();
        for (int i = startAt + 1; i < polls.size(); i++) {
            Poll poll = polls.get(i);
            if (sum(poll.timers()) != sum(polls.get(i - 1).timers())) {
                endAt = i;
            }
            if (poll.checkpoints() > checkpointsAtStart) {
                longest = Math.max(longest, poll.lastCheckpointMs());
            }
        }
        long outputsBefore = polls.get(Math.max(0, startAt - 1)).outputs();
        return new Burst(timers, polls.get(startAt).nanos(), polls.get(endAt).nanos(), last.outputs() - outputsBefore,
                longest, polls.get(endAt).checkpoints() - checkpointsAtStart);
    }

    /** The last poll at which subtask {@code s} had taken in fewer than {@code finalCount} records; -1 if none. */
    private int lastPollShortOfFinal(int s, long finalCount) {
        for (int i = polls.size() - 1; i >= 0; i--) {
            if (at(polls.get(i).takenIn(), s) < finalCount) {
                return i;
            }
        }
        return -1;
    }

    /** Subtask {@code s}'s value, 0 while it has not registered its metric yet. */
    private static long at(long[] values, int s) {
        return s < values.length ? values[s] : 0;
    }

    private static long sum(long[] values) {
        return Arrays.stream(values).sum();
    }
}
