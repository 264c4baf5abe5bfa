package io.expansionsignals.bench;

/**
 * One variant's figures. Values not measured for a variant are -1 (printed as "–").
 *
 * @param events input records processed
 * @param seconds wall time from the first record to the last
 * @param cpuSeconds process CPU time over the same interval
 * @param checkpointMs duration of the last checkpoint completed under load
 * @param checkpointBytes full size of a checkpoint taken after all input was processed
 */
public record Measurement(String variant, int accounts, long events, double seconds, double cpuSeconds,
        long checkpointMs, long checkpointBytes) {

    public double eventsPerSecond() {
        return events / seconds;
    }

    /** Events per CPU-second: what one core of this machine sustains for the variant. */
    public double eventsPerCoreSecond() {
        return cpuSeconds > 0 ? events / cpuSeconds : -1;
    }

    public double stateBytesPerAccount() {
        return checkpointBytes > 0 ? (double) checkpointBytes / accounts : -1;
    }
}
