package io.expansionsignals.functions;

import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.state.AccountStateSerializer;
import io.expansionsignals.testutils.Catalogs;
import io.expansionsignals.testutils.Events;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The account cache's flush before a barrier into a real RocksDB backend: every cached account
 * changed, written back in the order the accounts changed ({@code keyOrder=false}, the flush up to
 * change 38) or encoded first and written in RocksDB's key order ({@code keyOrder=true}). Before
 * each flush a snapshot empties the memtable, as the checkpoint after each barrier does; the
 * accounts (engine-made, ~500 B encoded, ~3 KB on the heap each) are far larger together than
 * the CPU's caches, as at the barrier in the job. Time per account written.
 * {@code ./bench/jmh.sh AccountCacheFlush}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(value = 2, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"})
public class AccountCacheFlushBenchmarks {
    private static final int ACCOUNTS = 30_000;
    /** Flink's default for a job of parallelism up to 85: 128 key groups, all in this one instance. */
    private static final int KEY_GROUPS = 128;

    @State(Scope.Thread)
    public static class Flush {
        @Param({"false", "true"})
        boolean keyOrder;

        KeyedOneInputStreamOperatorTestHarness<String, String, String> harness;
        AccountStateCache cache;
        List<String> changeOrder;
        List<AccountState> accounts;
        long checkpoint;

        @Setup(Level.Trial)
        public void open() throws Exception {
            harness = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new Idle()), k -> k, Types.STRING,
                    KEY_GROUPS, 1, 0);
            harness.setStateBackend(new EmbeddedRocksDBStateBackend());
            harness.open();
            KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
            AccountStateSerializer serializer = new AccountStateSerializer();
            ValueState<AccountState> state = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                    new ValueStateDescriptor<>("account", serializer));
            cache = new AccountStateCache(state, serializer, ACCOUNTS + 1);
            cache.attach(new AccountStateCache.KeyContext() {
                @Override
                public void setCurrentKey(String key) {
                    backend.setCurrentKey(key);
                }

                @Override
                public String getCurrentKey() {
                    return backend.getCurrentKey();
                }

                @Override
                public boolean sortsByKeyGroup() {
                    return keyOrder;
                }

                @Override
                public int keyGroupOf(String key) {
                    return KeyGroupRangeAssignment.assignToKeyGroup(key, KEY_GROUPS);
                }
            });
            AccountEngine engine = new AccountEngine(EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build());
            Random r = new Random(38);
            changeOrder = new ArrayList<>();
            accounts = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                String id = "acct-" + (100_000 + r.nextInt(900_000)) + "-" + i;
                AccountState a = AccountEngine.newAccount(id);
                engine.onSubscription(a, Events.created(id, Events.day(0), 5_000 + r.nextInt(50_000), Map.of("api_calls", 10_000L)), 0);
                for (int d = 1; d <= 3; d++) {
                    engine.onUsage(a, Events.delta(id, "api_calls", r.nextInt(3_000), Events.day(d)), 0);
                    engine.onUsage(a, Events.gauge(id, "storage_gb", r.nextInt(100), Events.day(d)), 0);
                }
                engine.onEngagement(a, Events.activeUsers(id, 1 + r.nextInt(50), Events.day(2)), 0);
                changeOrder.add(id);
                accounts.add(a);
            }
            Collections.shuffle(changeOrder, r); // events arrive in no key order
            for (int i = 0; i < ACCOUNTS; i++) {
                cache.write(accounts.get(i).accountId, accounts.get(i));
            }
            cache.flush();
        }

        /** Every account changed since the last barrier, whose checkpoint flushed the memtable. */
        @Setup(Level.Invocation)
        public void changeAll() throws Exception {
            harness.snapshot(++checkpoint, checkpoint);
            for (String id : changeOrder) {
                cache.write(id, cache.read(id));
            }
        }


        @TearDown(Level.Trial)
        public void close() throws Exception {
            harness.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(ACCOUNTS)
    public int flush(Flush f) throws Exception {
        return f.cache.flush();
    }

    /** A keyed operator that does nothing: the benchmark needs only its RocksDB backend. */
    private static final class Idle extends KeyedProcessFunction<String, String, String> {
        @Override
        public void processElement(String value, Context ctx, Collector<String> out) {}
    }
}
