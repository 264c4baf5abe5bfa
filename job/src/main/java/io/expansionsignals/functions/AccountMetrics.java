package io.expansionsignals.functions;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * The account operator's own metrics, under the group {@code expansion_signals}. Label groups
 * ({@code addGroup(key, value)}) become Prometheus labels, e.g.
 * {@code flink_taskmanager_job_task_operator_expansion_signals_signals_emitted{signal_type="LIMIT_REACHED"}}.
 */
final class AccountMetrics {
    private final MetricGroup group;
    private final Counter duplicates;
    private final Counter late;
    private final Counter superseded;
    private final Counter closedPeriod;
    private final Counter timersDue;
    private final Counter timersLeftOver;
    private final Counter timersCaughtUp;
    private final Counter timersOvertaken;
    private final Histogram signalLag;
    private final Map<String, Counter> signals = new HashMap<>();
    private final Map<String, Counter> movements = new HashMap<>();
    private final Map<String, Counter> deadLetters = new HashMap<>();
    private long accounts;
    private Histogram flushMs;
    private Histogram flushCpuMs;
    private int lastFlushAccounts;

    AccountMetrics(MetricGroup operatorGroup) {
        group = operatorGroup.addGroup("expansion_signals");
        duplicates = group.counter("duplicate_events");
        late = group.counter("late_events");
        superseded = group.counter("superseded_events");
        closedPeriod = group.counter("closed_period_usage");
        timersDue = group.counter("timers_due");
        timersLeftOver = group.counter("timers_left_over");
        timersCaughtUp = group.counter("timers_caught_up");
        timersOvertaken = group.counter("timers_overtaken");
        signalLag = group.histogram("signal_lag_ms", new DescriptiveStatisticsHistogram(1024));
        group.gauge("accounts_in_state", () -> accounts);
    }

    /**
     * What the account cache did: hits and misses tell whether {@code state.account-cache-size} fits
     * the hot set. A cache that passes everything through (the heap backend) has nothing to report,
     * and its metrics are left out rather than shown as a flat zero.
     */
    void watch(AccountStateCache cache) {
        if (!cache.caches()) {
            return;
        }
        group.gauge("account_cache_hits", cache::hits);
        group.gauge("account_cache_misses", cache::misses);
        group.gauge("account_reads_skipped", cache::skipped);
        group.gauge("account_cache_written_back", cache::writtenBack);
        group.gauge("account_cache_size", cache::size);
        group.gauge("account_cache_capacity", cache::capacity);
        flushMs = group.histogram("account_cache_flush_ms", new DescriptiveStatisticsHistogram(256));
        flushCpuMs = group.histogram("account_cache_flush_cpu_ms", new DescriptiveStatisticsHistogram(256));
        group.gauge("account_cache_last_flush_accounts", () -> lastFlushAccounts);
    }

    /** How large the known-accounts filter is: accounts it holds, and its heap. */
    void watch(KnownAccounts known) {
        group.gauge("known_accounts", known::size);
        group.gauge("known_accounts_filter_bytes", known::bytes);
    }

    /** What the held health snapshots did: how many wait for the barrier, how many a newer one replaced. */
    void watch(PendingSnapshots snapshots) {
        group.gauge("health_snapshots_held", snapshots::size);
        group.gauge("health_snapshots_superseded", snapshots::superseded);
    }

    /**
     * A flush before a barrier wrote {@code accounts} in {@code millis} (wall clock: what the
     * checkpoint waits), of which the task thread ran for {@code cpuMillis} (-1: not measured). Far
     * less CPU than wall time means the thread waited for a core: a task manager short of CPU at
     * the barrier, not a flush with too much to write.
     */
    void flushed(int accounts, long millis, long cpuMillis) {
        lastFlushAccounts = accounts;
        if (flushMs != null) {
            flushMs.update(millis);
            if (cpuMillis >= 0) {
                flushCpuMs.update(cpuMillis);
            }
        }
    }

    void duplicate() {
        duplicates.inc();
    }

    void late() {
        late.inc();
    }

    void superseded() {
        superseded.inc();
    }

    void closedPeriod() {
        closedPeriod.inc();
    }

    /** An account's timer fired with work due (cancellation, milestone, expiry check). */
    void timerDue() {
        timersDue.inc();
    }

    /**
     * A timer fired with nothing due: left over from an earlier schedule (or its account expired).
     * Cheap, but each costs a read and a pop from the timer queue; a high share means accounts'
     * wake-up times move later often.
     */
    void timerLeftOver() {
        timersLeftOver.inc();
    }

    /**
     * A due timer's firing went on to the account's next due work, which the watermark had already
     * passed, instead of registering a timer for it: one per step. Many mean event time jumped
     * (a backfill, a source resuming far ahead).
     */
    void timerCaughtUp() {
        timersCaughtUp.inc();
    }

    long timersCaughtUp() {
        return timersCaughtUp.getCount();
    }

    /** An event did its account's due work before the account's timer fired (interruptible timers). */
    void timerOvertaken() {
        timersOvertaken.inc();
    }

    long timersOvertaken() {
        return timersOvertaken.getCount();
    }

    long timersDue() {
        return timersDue.getCount();
    }

    long timersLeftOver() {
        return timersLeftOver.getCount();
    }

    /**
     * Accounts in state: restored from the last checkpoint, then created minus expired. After a
     * rescale the subtasks' counts are dealt out anew, so only their sum stays exact.
     */
    long accounts() {
        return accounts;
    }

    void restoreAccounts(long count) {
        accounts = count;
    }

    void accountCreated() {
        accounts++;
    }

    void accountExpired() {
        accounts--;
    }

    void signal(String type, long lagMillis) {
        signals.computeIfAbsent(type, t -> group.addGroup("signal_type", t).counter("signals_emitted")).inc();
        signalLag.update(Math.max(0, lagMillis));
    }

    void deadLetter(String reason) {
        deadLetters.computeIfAbsent(reason, r -> group.addGroup("reason", r).counter("dead_letters")).inc();
    }

    void movement(String type) {
        movements.computeIfAbsent(type, t -> group.addGroup("movement_type", t).counter("mrr_movements")).inc();
    }
}
