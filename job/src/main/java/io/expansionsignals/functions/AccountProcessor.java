package io.expansionsignals.functions;

import io.expansionsignals.config.CatalogLoader;
import io.expansionsignals.config.CatalogRecords;
import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.InputValidator;
import io.expansionsignals.domain.RecentEventIds;
import io.expansionsignals.domain.Violation;
import io.expansionsignals.schema.DeadLetterReason;
import io.expansionsignals.schema.PlanCatalogUpdate;
import io.expansionsignals.schema.internal.SourceOrigin;
import java.util.Optional;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineResult;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.internal.DecodedRecord;
import io.expansionsignals.state.AccountStateSerializer;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The keyed account operator: one {@link AccountState} per account, fed to the pure
 * {@link AccountEngine}. Around the engine it adds what needs Flink: eventId de-duplication in a
 * bounded event-time window, one event-time timer per account for cancellations, milestones and expiry,
 * expiry of quiet accounts without a subscription, routing of results to side outputs, and the
 * live plan catalog: a newer catalog arriving on the broadcast input replaces the one in force on
 * every instance, so new plans, limits and prices apply without a restart.
 */
public class AccountProcessor extends KeyedBroadcastProcessFunction<String, DecodedRecord, DecodedRecord, ExpansionSignal>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    static final String ACCOUNT_STATE = "account";
    static final String FORMERLY_ACTIVE_STATE = "formerly-active";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AccountProcessor.class);

    private final EngineSettings settings;
    private final Duration dedupWindow;
    private final Duration churnedMemory;

    private transient AccountEngine engine;
    private transient InputValidator catalogChecks;
    private transient long catalogVersion;
    private transient boolean catalogRestored;
    private transient ValueState<AccountState> account;
    private transient ValueState<Boolean> formerlyActive;
    private transient AccountMetrics metrics;
    /** See {@link EngineSettings#stateCacheSize}. */
    private transient AccountStateCache cache;
    /** See {@link EngineSettings#snapshotBufferSize}; holds nothing until {@link #bufferUntilBarrier}. */
    private transient PendingSnapshots snapshots;
    /** The task manager's task heap (0: unknown) and slots, which size an unset account cache; see {@link #shareHeap}. */
    private transient long taskHeapBytes;
    private transient int taskSlots;
    /** Whether an event first does its account's due work the watermark has passed; see {@link #catchUpBeforeEvents}. */
    private transient boolean catchUpBeforeEvents;
    /** The watermark this instance's checkpoint was taken at, after a restore; see {@link #restoredAt}. */
    private transient long restoredWatermark = Long.MIN_VALUE;
    /** The accounts_in_state gauge's count in operator state, so a restart does not reset it to 0. */
    private transient ListState<Long> accountCount;
    private transient long restoredAccounts;

    /**
     * @param dedupWindow how far behind an account's newest event time an eventId is still remembered for
     *     de-duplication (see {@link RecentEventIds})
     * @param churnedMemory how long an expired account is remembered as formerly paying, so a
     *     later subscription counts as a REACTIVATION rather than NEW (state TTL)
     */
    public AccountProcessor(EngineSettings settings, Duration dedupWindow, Duration churnedMemory) {
        this.settings = settings;
        this.dedupWindow = dedupWindow;
        this.churnedMemory = churnedMemory;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
        useCatalog(settings);
        AccountStateSerializer serializer = new AccountStateSerializer();
        account = getRuntimeContext().getState(new ValueStateDescriptor<>(ACCOUNT_STATE, serializer));
        ValueStateDescriptor<Boolean> churned = new ValueStateDescriptor<>(FORMERLY_ACTIVE_STATE, Types.BOOLEAN);
        churned.enableTimeToLive(ttl(churnedMemory));
        formerlyActive = getRuntimeContext().getState(churned);
        metrics = new AccountMetrics(getRuntimeContext().getMetricGroup());
        metrics.restoreAccounts(restoredAccounts);
        AccountCacheSizing sizing = AccountCacheSizing.of(settings.stateCacheSize, settings.stateCacheHeapShare,
                AccountCacheSizing.taskHeap(taskHeapBytes, Runtime.getRuntime().maxMemory()), taskSlots);
        cache = new AccountStateCache(account, serializer, sizing.capacity());
        if (sizing.overBudget()) {
            LOG.warn(sizing.explanation());
        } else if (sizing.capacity() > 0) {
            LOG.info(sizing.explanation());
        }
        metrics.watch(cache);
        snapshots = new PendingSnapshots(0);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        accountCount = context.getOperatorStateStore().getListState(new ListStateDescriptor<>("accounts-in-state", Types.LONG));
        long sum = 0;
        for (Long count : accountCount.get()) { // several after a scale-in
            sum += count;
        }
        restoredAccounts = sum;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        accountCount.update(List.of(metrics.accounts()));
    }

    EngineSettings settings() {
        return settings;
    }

    /** Health snapshots waiting for the barrier (or for their account to be quiet long enough). */
    int heldSnapshots() {
        return snapshots.size();
    }

    /**
     * Called by {@link AccountOperator} before {@link #open}: the task heap its task manager has
     * ({@code taskmanager.memory.task.heap.size}, 0 if Flink set none) and the slots sharing it,
     * from which an unset {@code state.account-cache-size} is sized. Without it the cache counts
     * on the JVM's whole heap and one slot.
     */
    void shareHeap(long taskHeapBytes, int slots) {
        this.taskHeapBytes = taskHeapBytes;
        this.taskSlots = Math.max(1, slots);
    }

    /**
     * Called by {@link AccountOperator} before {@link #open} with true when Flink fires its timers
     * interruptibly (unaligned checkpoints and
     * {@code execution.checkpointing.unaligned.interruptible-timers.enabled}): records can then be
     * processed between the timers of one watermark, and an account's event does the account's
     * due work up to the watermark first, so that event time keeps its order per account.
     */
    void catchUpBeforeEvents(boolean catchUp) {
        this.catchUpBeforeEvents = catchUp;
    }

    /**
     * Called by {@link AccountOperator} on a restore with the watermark the job had reached when the
     * checkpoint was taken. With interruptible timers that checkpoint may have cut a watermark's
     * timers in two, and the restored job's watermark starts again from nothing: until it is back,
     * an account's event first does the account's work due up to the restored watermark, as it would
     * have had the job not failed.
     */
    void restoredAt(long watermark) {
        this.restoredWatermark = watermark;
    }

    /** The account cache, for tests of its bookkeeping. */
    AccountStateCache cache() {
        return cache;
    }

    /** Timers fired with work due and left over, as the timers_due and timers_left_over counters report them. */
    long[] timersFired() {
        return new long[] {metrics.timersDue(), metrics.timersLeftOver()};
    }

    /** Steps of due work done in a firing instead of by further timers, as the timers_caught_up counter reports them. */
    long timersCaughtUp() {
        return metrics.timersCaughtUp();
    }

    /** Events that did their account's due work before its timer fired, as the timers_overtaken counter reports them. */
    long timersOvertaken() {
        return metrics.timersOvertaken();
    }

    /** The accounts this instance holds, as its accounts_in_state gauge reports them. */
    long accountsInState() {
        return metrics.accounts();
    }

    /**
     * Called by {@link AccountOperator}, which flushes before every barrier: account writes and
     * health snapshots are held until {@link #flush}. Without it (Flink's plain operator) both go
     * through at once.
     */
    void bufferUntilBarrier(AccountStateCache.KeyContext keys) {
        cache.attach(keys);
        snapshots = new PendingSnapshots(settings.snapshotBufferSize);
        metrics.watch(snapshots);
    }

    /**
     * Writes the held health snapshots to {@code health} and the buffered accounts to the state
     * backend; {@link AccountOperator} calls it before each barrier.
     */
    void flush(Consumer<AccountHealth> health) throws java.io.IOException {
        snapshots.drain(health);
        long start = System.nanoTime(); // the cache's flush alone: account_cache_flush_ms
        long cpuStart = TaskThreadCpu.nanos(); // and the CPU it took: account_cache_flush_cpu_ms
        int written = cache.flush();
        long cpuEnd = TaskThreadCpu.nanos();
        metrics.flushed(written, (System.nanoTime() - start) / 1_000_000, cpuStart < 0 ? -1 : (cpuEnd - cpuStart) / 1_000_000);
    }

    /**
     * Writes to {@code health} the held snapshots of accounts last changed at or before
     * {@code cutoff} (processing time), so the barrier is left with only the recently changed ones.
     */
    void emitQuietSnapshots(long cutoff, Consumer<AccountHealth> health) {
        snapshots.drainUpdatedUpTo(cutoff, health);
    }

    /** Writes the held health snapshots to {@code health}: at the end of a bounded input, where no barrier follows. */
    void emitHeldSnapshots(Consumer<AccountHealth> health) {
        snapshots.drain(health);
    }

    private AccountState read(String key) throws java.io.IOException {
        return cache.read(key);
    }

    private void write(String key, AccountState state) throws java.io.IOException {
        cache.write(key, state);
    }

    /**
     * Starts the known-accounts filter, if the settings ask for it, from every account that has
     * state in this instance: after a restore, the keys of both states, which {@code keys} streams
     * by state name. Called by {@link AccountOperator} before the first record; an operator that
     * does not call it (Flink's plain one) reads the backend on every miss, as without a filter.
     */
    void learnStoredAccounts(Function<String, Stream<String>> keys) {
        if (!settings.knownAccountsFilter) {
            return;
        }
        long started = System.nanoTime();
        KnownAccounts filter = new KnownAccounts();
        for (String stateName : List.of(ACCOUNT_STATE, FORMERLY_ACTIVE_STATE)) {
            try (Stream<String> stored = keys.apply(stateName)) {
                stored.forEach(filter::add);
            }
        }
        cache.filterBy(filter);
        metrics.watch(filter);
        if (filter.size() > 0) {
            LOG.info("known-accounts filter: {} accounts with state in this instance, {} KB of heap, read in {} ms",
                    filter.size(), filter.bytes() >> 10, (System.nanoTime() - started) / 1_000_000);
        }
    }

    private void clear(String key) {
        cache.clear(key);
    }

    private static StateTtlConfig ttl(Duration d) {
        return StateTtlConfig.newBuilder(d)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build();
    }

    @Override
    public void processElement(DecodedRecord record, ReadOnlyContext ctx, Collector<ExpansionSignal> out) throws Exception {
        followRestoredCatalog(ctx);
        long eventIdHash = RecentEventIds.hash(AccountEvents.eventId(record));
        // One read of the account's state serves de-duplication and the engine alike.
        AccountState state = read(ctx.getCurrentKey());
        long watermark = ctx.timerService().currentWatermark();
        long dueUpTo = Math.max(catchUpBeforeEvents ? watermark : Long.MIN_VALUE, restoredWatermark);
        if (state != null && state.wakeUpAt != 0 && state.wakeUpAt != Long.MAX_VALUE && state.wakeUpAt <= dueUpTo) {
            // With interruptible timers a record can come between the timers of one watermark, so
            // this account's due timer may not have fired yet (nor, after a restore, one the restored
            // checkpoint had left pending): its work comes first, as it would have without them (the
            // timer, when it fires, finds nothing due).
            metrics.timerOvertaken();
            long due = state.wakeUpAt;
            state.wakeUpAt = 0;
            if (!doDueWork(state, due, false, dueUpTo, ctx, out)) { // written back: kept even if the event is dropped below
                state = null;
            }
        }
        if (state != null && RecentEventIds.containsHash(state, eventIdHash)) {
            metrics.duplicate();
            return;
        }
        if (record.getPayload() instanceof SubscriptionEvent e) {
            Optional<Violation> violation = catalogChecks.checkCatalog(e);
            if (violation.isPresent()) {
                // not remembered as seen: a retry after the catalog learns the plan is applied
                rejectInput(ctx, record.getOrigin(), violation.get().reason(), violation.get().detail());
                return;
            }
        }
        long eventTime = AccountEvents.eventTime(record);
        if (eventTime < watermark) {
            metrics.late(); // still applied: late records change account state like any other
        }
        if (state == null) {
            state = AccountEngine.newAccount(ctx.getCurrentKey());
            // an account the filter never saw has no formerly-active marker either: the marker is
            // written only for an account that had state, which the filter keeps until the next restore
            state.everActive = cache.mayHold(ctx.getCurrentKey()) && Boolean.TRUE.equals(formerlyActive.value());
            metrics.accountCreated();
        }
        long now = ctx.timerService().currentProcessingTime();
        Object payload = record.getPayload();
        EngineResult result;
        if (payload instanceof SubscriptionEvent e) {
            result = engine.onSubscription(state, e, now);
        } else if (payload instanceof UsageEvent e) {
            result = engine.onUsage(state, e, now);
        } else {
            result = engine.onEngagement(state, (EngagementEvent) payload, now);
        }
        if (result.superseded) {
            metrics.superseded();
        }
        if (result.closedPeriod) {
            metrics.closedPeriod();
        }
        RecentEventIds.rememberHash(state, eventIdHash, eventTime, dedupWindow.toMillis(), engine.settings().dedupMaxIds);
        emit(result, ctx, out, now);
        // Only subscription events move cancellations, milestones and renewals; other events can
        // only push expiry later, which a pending timer handles by firing early and re-arming.
        if (payload instanceof SubscriptionEvent || state.wakeUpAt == 0 || state.wakeUpAt <= watermark) {
            scheduleWakeUp(state, ctx, watermark);
        }
        write(ctx.getCurrentKey(), state);
    }

    @Override
    public void processBroadcastElement(DecodedRecord record, Context ctx, Collector<ExpansionSignal> out) throws Exception {
        PlanCatalogUpdate update = (PlanCatalogUpdate) record.getPayload();
        var state = ctx.getBroadcastState(CatalogState.DESCRIPTOR);
        PlanCatalogUpdate current = state.get(CatalogState.KEY);
        long inForce = current != null ? current.getVersion() : settings.catalog.version();
        if (update.getVersion() <= inForce) {
            rejectInput(ctx, record.getOrigin(), DeadLetterReason.INVALID_CATALOG, "catalog version " + update.getVersion()
                    + " is not newer than version " + inForce + " in force; the catalog in force stays");
            return;
        }
        try {
            CatalogRecords.toDomain(update);
        } catch (RuntimeException e) {
            rejectInput(ctx, record.getOrigin(), DeadLetterReason.INVALID_CATALOG, "catalog version " + update.getVersion()
                    + " is invalid (" + e.getMessage() + "); version " + inForce + " stays in force");
            return;
        }
        state.put(CatalogState.KEY, update);
        followCatalog(update);
    }

    private void rejectInput(ReadOnlyContext ctx, SourceOrigin origin, DeadLetterReason reason, String detail) {
        ctx.output(OutputTags.DEAD_LETTERS, DeadLetters.of(origin, reason, detail, ctx.currentProcessingTime()));
        metrics.deadLetter(reason.name());
    }

    private void rejectInput(Context ctx, SourceOrigin origin, DeadLetterReason reason, String detail) {
        ctx.output(OutputTags.DEAD_LETTERS, DeadLetters.of(origin, reason, detail, ctx.currentProcessingTime()));
        metrics.deadLetter(reason.name());
    }

    /** Switches the engine to the broadcast catalog if it is not the one in use (also after a restore). */
    private void followCatalog(PlanCatalogUpdate update) {
        if (update != null && update.getVersion() != catalogVersion) {
            CatalogLoader.Loaded loaded = CatalogRecords.toDomain(update);
            useCatalog(settings.withCatalog(loaded.catalog(), loaded.fx()));
        }
    }

    private void useCatalog(EngineSettings s) {
        engine = new AccountEngine(s);
        catalogChecks = new InputValidator(s);
        catalogVersion = s.catalog.version();
    }

    /**
     * After a restore the broadcast state holds the catalog in force; later ones arrive through
     * processBroadcastElement. So it is looked up once, not per record.
     */
    private void followRestoredCatalog(ReadOnlyContext ctx) throws Exception {
        if (!catalogRestored) {
            followCatalog(ctx.getBroadcastState(CatalogState.DESCRIPTOR).get(CatalogState.KEY));
            catalogRestored = true;
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ExpansionSignal> out) throws Exception {
        followRestoredCatalog(ctx);
        AccountState state = read(ctx.getCurrentKey());
        if (state == null || state.wakeUpAt > timestamp) {
            // Expired, or left over from an earlier schedule: nothing is due before wakeUpAt (see
            // scheduleWakeUp), so neither the engine nor a write-back is needed.
            metrics.timerLeftOver();
            return;
        }
        if (state.wakeUpAt == timestamp) {
            state.wakeUpAt = 0;
        }
        long watermark = ctx.timerService().currentWatermark(); // already the one this firing belongs to
        doDueWork(state, timestamp, true, watermark, ctx, out);
    }

    /**
     * Does the account's due work at {@code due} and then, in time order, every later step the
     * watermark has already passed, each at its own time, instead of registering one more timer
     * per step (a RocksDB write to register, a read and a delete to fire): when event time jumps (a
     * backfill, a source resuming far ahead) an account's milestones come due together. No record
     * of the account is processed between these steps, so its outputs are those of one timer per
     * step.
     *
     * @param timer whether a due timer fired for {@code due} (counted as timers_due; every other
     *     step as timers_caught_up)
     * Then schedules the account's next wake-up, later than {@code watermark}, and writes it back.
     *
     * @return false if the account expired (its state is cleared)
     */
    private boolean doDueWork(AccountState state, long due, boolean timer, long watermark, ReadOnlyContext ctx,
            Collector<ExpansionSignal> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        boolean fired = timer;
        long next;
        do {
            if (fired) {
                metrics.timerDue();
                fired = false;
            } else {
                metrics.timerCaughtUp();
            }
            EngineResult result = engine.onTime(state, due, now);
            emit(result, ctx, out, now);
            if (result.expire) {
                if (state.everActive) {
                    formerlyActive.update(Boolean.TRUE);
                }
                clear(ctx.getCurrentKey());
                metrics.accountExpired();
                return false;
            }
            next = engine.nextWakeUp(state);
            if (next <= due) { // onTime did everything due at or before `due`; never step backwards
                break;
            }
            due = next;
        } while (next <= watermark);
        scheduleWakeUp(state, ctx, watermark, next);
        write(ctx.getCurrentKey(), state);
        return true;
    }

    /**
     * Keeps one pending timer per account at the earliest time the engine has work, instead of a
     * timer per event. Invariant: nothing is due before {@code state.wakeUpAt}. A later timer that
     * became unnecessary is not deleted (a RocksDB write) but returns at once when it fires. With
     * nothing to wait for, wakeUpAt becomes Long.MAX_VALUE, so the usage and engagement events of
     * such an account skip this look-up: only a subscription event can give it work again.
     */
    private void scheduleWakeUp(AccountState state, ReadOnlyContext ctx, long watermark) {
        scheduleWakeUp(state, ctx, watermark, engine.nextWakeUp(state));
    }

    /** {@link #scheduleWakeUp(AccountState, ReadOnlyContext, long)} with the engine's next wake-up already asked. */
    private void scheduleWakeUp(AccountState state, ReadOnlyContext ctx, long watermark, long next) {
        if (next == Long.MAX_VALUE) {
            state.wakeUpAt = Long.MAX_VALUE;
            return;
        }
        if (state.wakeUpAt == 0 || next < state.wakeUpAt || state.wakeUpAt <= watermark) {
            ctx.timerService().registerEventTimeTimer(next);
            state.wakeUpAt = next;
        }
    }

    private void emit(EngineResult r, ReadOnlyContext ctx, Collector<ExpansionSignal> out, long now) {
        for (ExpansionSignal s : r.expansionSignals) {
            out.collect(s);
            metrics.signal(s.getType().name(), now - s.getTriggeredAt().toEpochMilli());
        }
        for (ChurnRiskSignal s : r.churnRiskSignals) {
            ctx.output(OutputTags.CHURN_RISK, s);
            metrics.signal(s.getType().name(), now - s.getTriggeredAt().toEpochMilli());
        }
        for (MrrMovement m : r.movements) {
            ctx.output(OutputTags.MOVEMENTS, m);
            metrics.movement(m.getType().name());
        }
        if (r.snapshot != null) {
            AccountHealth due = snapshots.offer(r.snapshot, now);
            if (due != null) {
                ctx.output(OutputTags.HEALTH, due);
            }
        }
    }
}
