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
 */
public record Measurement(String variant, int accounts, long events, double seconds, double cpuSeconds,
        long checkpointMs, long checkpointBytes, long liveAccounts) {

    public Measurement(String variant, int accounts, long events, double seconds, double cpuSeconds, long checkpointMs,
            long checkpointBytes) {
        this(variant, accounts, events, seconds, cpuSeconds, checkpointMs, checkpointBytes, -1);
    }

    public Measurement withLiveAccounts(long live) {
        return new Measurement(variant, accounts, events, seconds, cpuSeconds, checkpointMs, checkpointBytes, live);
    }

    public double eventsPerSecond() {
        return events / seconds;
    }

    /** Events per CPU-second: what one core of this machine sustains for the variant. */
    public double eventsPerCoreSecond() {
        return cpuSeconds > 0 ? events / cpuSeconds : -1;
    }

    /** Per account that has state: simulated accounts sign up over weeks, so not all have any yet. */
    public double stateBytesPerAccount() {
        return checkpointBytes > 0 ? (double) checkpointBytes / (liveAccounts > 0 ? liveAccounts : accounts) : -1;
    }
}
