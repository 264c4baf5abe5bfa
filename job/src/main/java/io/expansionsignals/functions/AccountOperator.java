package io.expansionsignals.functions;

import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.internal.DecodedRecord;
import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Flink's keyed-broadcast operator around {@link AccountProcessor}, plus the hooks its buffers
 * need: switching the key to write back an account other than the current one
 * ({@link AccountStateCache}), and a flush of buffered accounts and held health snapshots
 * ({@link PendingSnapshots}) before every checkpoint barrier and at the end of a bounded input.
 */
public final class AccountOperator extends CoBroadcastWithKeyedOperator<String, DecodedRecord, DecodedRecord, ExpansionSignal> {
    private static final long serialVersionUID = 1L;

    public AccountOperator(AccountProcessor function) {
        super(function, List.of(CatalogState.DESCRIPTOR));
    }

    /** The name Flink's keyed-broadcast operator gives its timer service. */
    private static final String USER_TIMERS = "user-timers";

    /** Compared by name: the RocksDB backend is a provided dependency, absent where only the heap is used. */
    private static final String ROCKSDB_BACKEND = "org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend";

    @Override
    public void open() throws Exception {
        // the slots of a task manager share its task heap, and with it the room for their account caches
        Configuration taskManager = getContainingTask().getEnvironment().getTaskManagerInfo().getConfiguration();
        processor().shareHeap(taskManager.getOptional(TaskManagerOptions.TASK_HEAP_MEMORY).map(MemorySize::getBytes).orElse(0L),
                taskManager.get(TaskManagerOptions.NUM_TASK_SLOTS));
        processor().catchUpBeforeEvents(
                CheckpointingOptions.isUnalignedCheckpointInterruptibleTimersEnabled(getContainingTask().getJobConfiguration()));
        super.open();
        // after a restore the filter of known accounts starts from the keys the backend holds
        processor().learnStoredAccounts(state -> getKeyedStateBackend().<VoidNamespace>getKeys(state, VoidNamespace.INSTANCE)
                .map(key -> (String) key));
        boolean rocksDb = getKeyedStateBackend().getClass().getName().equals(ROCKSDB_BACKEND);
        int keyGroups = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
        processor().bufferUntilBarrier(new AccountStateCache.KeyContext() {
            @Override
            public void setCurrentKey(String key) {
                AccountOperator.this.setCurrentKey(key);
            }

            @Override
            public String getCurrentKey() {
                return (String) AccountOperator.this.getCurrentKey();
            }

            @Override
            public boolean sortsByKeyGroup() {
                return rocksDb;
            }

            @Override
            public int keyGroupOf(String key) {
                return KeyGroupRangeAssignment.assignToKeyGroup(key, keyGroups);
            }
        });
        if (processor().settings().snapshotBufferSize > 0) {
            emitQuietSnapshots(getProcessingTimeService().getCurrentProcessingTime());
        }
    }

    /**
     * Writes the held snapshots of accounts quiet for {@code health.snapshot.max-hold}, then looks
     * again after half of it: the barrier is left with the accounts that changed since, not with
     * a whole interval's worth (each one written there lengthens the checkpoint).
     */
    private void emitQuietSnapshots(long now) {
        long maxHold = processor().settings().snapshotMaxHoldMillis;
        processor().emitQuietSnapshots(now - maxHold, this::emitHealth);
        getProcessingTimeService().registerTimer(now + Math.max(1, maxHold / 2), this::emitQuietSnapshots);
    }

    /**
     * A timer burst (event time jumping past many accounts' due work) may be cut by checkpoints,
     * where Flink is configured for it (unaligned checkpoints and
     * {@code execution.checkpointing.unaligned.interruptible-timers.enabled}): the processor then
     * lets an account's event do its due work first ({@link AccountProcessor#catchUpBeforeEvents}).
     */
    @Override
    public boolean useInterruptibleTimers() {
        return true;
    }

    /**
     * The watermark each subtask had reached at a checkpoint. Flink does not restore watermarks,
     * and with interruptible timers a checkpoint may fall between the timers of one watermark;
     * a restore hands the processor the lowest (all subtasks had reached it), so that events
     * arriving before the watermark is back still find their accounts' due work done first.
     */
    private static final ListStateDescriptor<Long> WATERMARK_AT_CHECKPOINT =
            new ListStateDescriptor<>("watermark-at-checkpoint", LongSerializer.INSTANCE);

    private transient ListState<Long> watermarkAtCheckpoint;

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        watermarkAtCheckpoint = context.getOperatorStateStore().getUnionListState(WATERMARK_AT_CHECKPOINT);
        if (context.isRestored()) {
            long lowest = Long.MAX_VALUE;
            for (Long watermark : watermarkAtCheckpoint.get()) {
                lowest = Math.min(lowest, watermark);
            }
            if (lowest != Long.MAX_VALUE) { // a savepoint of a version before this state restores none
                processor().restoredAt(lowest);
            }
        }
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        watermarkAtCheckpoint.update(List.of(
                getInternalTimerService(USER_TIMERS, VoidNamespaceSerializer.INSTANCE, this).currentWatermark()));
    }

    private AccountProcessor processor() {
        return (AccountProcessor) userFunction;
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        // every change of this checkpoint in the backend before it snapshots, every held snapshot in its transaction
        processor().flush(this::emitHealth);
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        processor().emitHeldSnapshots(this::emitHealth); // a bounded input ended: no barrier follows
        super.finish();
    }

    private void emitHealth(AccountHealth snapshot) {
        output.collect(OutputTags.HEALTH, new StreamRecord<>(snapshot, snapshot.getAsOf().toEpochMilli()));
    }
}
