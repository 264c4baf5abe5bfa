package io.expansionsignals.bench;

/**
 * One variant's figures. Values not measured for a variant are -1 (printed as "–").
 *
 * @param events input records processed
 * @param seconds wall time from the first record to the last
 * @param cpuSeconds process CPU time over the same interval
 * @param checkpointMs duration of the last checkpoint completed under load
 * @param checkpointBytes full size of a checkpoint taken after all input was processed
 * @param liveAccounts accounts that received at least one valid event (the rest have no state yet), or -1
 * @param savepointBytes size of a canonical savepoint taken after all input: the state itself, in Flink's
 *     backend-independent format, without the superseded versions RocksDB keeps until it compacts; -1 if none
 * @param laterEventsPerSecond the rate over the input after its first share ({@code --later-from}): the
 *     customer base established, its onboarding done; -1 if not measured (the baselines outside Flink)
 */
public record Measurement(String variant, int accounts, long events, double seconds, double cpuSeconds,
        long checkpointMs, long checkpointBytes, long liveAccounts, long savepointBytes, double laterEventsPerSecond) {

    public Measurement(String variant, int accounts, long events, double seconds, double cpuSeconds, long checkpointMs,
            long checkpointBytes) {
        this(variant, accounts, events, seconds, cpuSeconds, checkpointMs, checkpointBytes, -1, -1, -1);
    }

    public Measurement withLiveAccounts(long live) {
        return new Measurement(variant, accounts, events, seconds, cpuSeconds, checkpointMs, checkpointBytes, live,
                savepointBytes, laterEventsPerSecond);
    }

    public Measurement withSavepointBytes(long bytes) {
        return new Measurement(variant, accounts, events, seconds, cpuSeconds, checkpointMs, checkpointBytes, liveAccounts,
                bytes, laterEventsPerSecond);
    }

    public Measurement withLaterRate(double eventsPerSecond) {
        return new Measurement(variant, accounts, events, seconds, cpuSeconds, checkpointMs, checkpointBytes, liveAccounts,
                savepointBytes, eventsPerSecond);
    }

    public double eventsPerSecond() {
        return events / seconds;
    }

    /** Events per CPU-second: what one core of this machine sustains for the variant. */
    public double eventsPerCoreSecond() {
        return cpuSeconds > 0 ? events / cpuSeconds : -1;
    }

    /**
     * Per account that has state (simulated accounts sign up over weeks, so not all have any yet):
     * from the canonical savepoint when one was taken, else from the checkpoint's full size.
     */
    public double stateBytesPerAccount() {
        long bytes = savepointBytes > 0 ? savepointBytes : checkpointBytes;
        return bytes > 0 ? (double) bytes / (liveAccounts > 0 ? liveAccounts : accounts) : -1;
    }
}
