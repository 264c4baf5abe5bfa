package io.expansionsignals.bench;

import io.expansionsignals.config.ExpansionSignalsOptions;
import io.expansionsignals.config.JobConfig;
import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineResult;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.domain.InputValidator;
import io.expansionsignals.functions.PendingSnapshots;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.workload.MalformedKind;
import io.expansionsignals.workload.WorkloadGenerator;
import io.expansionsignals.workload.WorkloadSink;
import io.expansionsignals.workload.WorkloadSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A profiling loop for the engine alone, without Kafka: the workload generated in memory, then
 * applied to fresh states round after round so a profiler (JFR) sees the steady state. Prints
 * events per second per round. {@code java ... DomainLoop [accounts] [events] [rounds]}
 */
public final class DomainLoop {
    private DomainLoop() {}

    public static void main(String[] args) {
        int accounts = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int target = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        List<Object> events = generate(accounts, target);
        EngineSettings settings = JobConfig.from(new String[0], k -> null).engineSettings();
        AccountEngine engine = new AccountEngine(settings);
        InputValidator validator = new InputValidator(settings);
        Map<String, AccountState> states = new HashMap<>();
        for (int round = 0; round < rounds; round++) {
            states = new HashMap<>();
            long now = System.currentTimeMillis();
            long outputs = 0;
            long[] byKind = new long[4];
            long start = System.nanoTime();
            HeldSnapshots held = round == rounds - 1 ? new HeldSnapshots() : null;
            for (Object e : events) {
                EngineResult r = apply(engine, validator, states, e, now);
                if (held != null) {
                    held.next(r == null ? null : r.snapshot);
                }
                if (r != null) {
                    byKind[0] += r.expansionSignals.size();
                    byKind[1] += r.churnRiskSignals.size();
                    byKind[2] += r.movements.size();
                    byKind[3] += r.snapshot != null ? 1 : 0;
                    outputs += r.expansionSignals.size() + r.churnRiskSignals.size() + r.movements.size()
                            + (r.snapshot != null ? 1 : 0);
                }
            }
            double s = (System.nanoTime() - start) / 1e9;
            System.out.printf("round %d: %d events in %.2f s = %,.0f ev/s, %d outputs (expansion %d, churn risk %d,"
                    + " movements %d, health %d)%n", round, events.size(), s, events.size() / s, outputs, byKind[0], byKind[1],
                    byKind[2], byKind[3]);
            if (held != null) {
                System.out.println("  " + held.summary());
            }
        }
        serialisation(states);
    }

    /**
     * What holding health snapshots until the barrier (the job's {@link PendingSnapshots} with its
     * defaults) writes of the snapshots made, on an event clock: a checkpoint every
     * {@link #INTERVAL_EVENTS} events (2 s at ~100 k ev/s, the benchmark's interval and rate), a
     * held snapshot written once its account has been quiet for half of it (checked every quarter).
     */
    static final class HeldSnapshots {
        static final int INTERVAL_EVENTS = 200_000;
        private final PendingSnapshots pending = new PendingSnapshots(ExpansionSignalsOptions.SNAPSHOT_BUFFER_SIZE.defaultValue());
        private long index;
        private long made;
        private long written;

        void next(io.expansionsignals.schema.AccountHealth snapshot) {
            index++;
            if (snapshot != null) {
                made++;
                if (pending.offer(snapshot, index) != null) {
                    written++;
                }
            }
            if (index % (INTERVAL_EVENTS / 4) == 0) {
                written += pending.drainUpdatedUpTo(index - INTERVAL_EVENTS / 2, s -> { });
            }
            if (index % INTERVAL_EVENTS == 0) {
                written += pending.drain(s -> { });
            }
        }

        String summary() {
            long all = written + pending.size();
            return String.format("health snapshots made %,d, written when held until a checkpoint every %,d events: %,d (%.0f %%)",
                    made, INTERVAL_EVENTS, all, 100.0 * all / Math.max(1, made));
        }
    }

    /**
     * What a RocksDB read and write of one state costs: serialising it and reading it back, with the
     * job's {@link io.expansionsignals.state.AccountStateSerializer} and, for comparison, Flink's POJO
     * serializer (the format up to 0.1, which a restore still migrates from).
     */
    static void serialisation(Map<String, AccountState> states) {
        org.apache.flink.api.common.serialization.SerializerConfigImpl config =
                new org.apache.flink.api.common.serialization.SerializerConfigImpl();
        config.setGenericTypes(false);
        roundTrips("job's serializer", new io.expansionsignals.state.AccountStateSerializer(), states);
        roundTrips("POJO serializer", org.apache.flink.api.common.typeinfo.TypeInformation.of(AccountState.class).createSerializer(config),
                states);
        heapPerDecodedAccount(states);
        bytesByField(states, config);
    }

    /**
     * The heap an account takes once read back from its encoding, as an account cache or the HashMap
     * backend holds it: the heap after collection with every account decoded, less the heap before.
     * Fewer bytes here is also fewer objects for the barrier's encoding walk to reach.
     */
    static void heapPerDecodedAccount(Map<String, AccountState> states) {
        io.expansionsignals.state.AccountStateSerializer serializer = new io.expansionsignals.state.AccountStateSerializer();
        List<byte[]> encoded = new ArrayList<>(states.size());
        org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(4096);
        try {
            for (AccountState a : states.values()) {
                out.clear();
                serializer.serialize(a, out);
                encoded.add(out.getCopyOfBuffer());
            }
            List<AccountState> decoded = new ArrayList<>(encoded.size());
            long before = usedHeapAfterCollection();
            for (byte[] bytes : encoded) {
                decoded.add(serializer.deserialize(new org.apache.flink.core.memory.DataInputDeserializer(bytes)));
            }
            long after = usedHeapAfterCollection();
            System.out.printf("heap per decoded account: %,d B (%,d accounts)%n", (after - before) / decoded.size(),
                    decoded.size());
            java.lang.ref.Reference.reachabilityFence(decoded);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long usedHeapAfterCollection() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static void roundTrips(String name, org.apache.flink.api.common.typeutils.TypeSerializer<AccountState> serializer,
            Map<String, AccountState> states) {
        org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(4096);
        org.apache.flink.core.memory.DataInputDeserializer in = new org.apache.flink.core.memory.DataInputDeserializer();
        for (int round = 0; round < 5; round++) {
            long bytes = 0;
            long start = System.nanoTime();
            try {
                for (AccountState a : states.values()) {
                    out.clear();
                    serializer.serialize(a, out);
                    bytes += out.length();
                    in.setBuffer(out.getSharedBuffer(), 0, out.length());
                    serializer.deserialize(in);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            double ns = (System.nanoTime() - start) / (double) states.size();
            System.out.printf("state round trip, %s: %,.0f ns per account, %,d bytes average%n", name, ns, bytes / states.size());
        }
    }

    /**
     * Where a POJO-serialised account's bytes went: each persisted field serialised alone with the
     * serializer the POJO serializer uses for it, averaged over the accounts; then the same inside
     * the nested metric and subscription states. The de-duplication ids are empty here (this loop
     * applies no {@code RecentEventIds}); in the job they add 16 bytes per id seen within
     * {@code dedup.window} of the account's newest event.
     */
    static void bytesByField(Map<String, AccountState> states, org.apache.flink.api.common.serialization.SerializerConfigImpl config) {
        System.out.println("POJO serializer bytes per account by field:" + bytesByField(AccountState.class, states.values(), states.size(), config));
        List<io.expansionsignals.domain.MetricState> metrics = new ArrayList<>();
        List<io.expansionsignals.domain.SubscriptionState> subscriptions = new ArrayList<>();
        for (AccountState a : states.values()) {
            metrics.addAll(a.metrics.values());
            subscriptions.addAll(a.subscriptions.values());
        }
        System.out.println("  of which metrics:" + bytesByField(io.expansionsignals.domain.MetricState.class, metrics, states.size(), config));
        System.out.println("  of which subscriptions:"
                + bytesByField(io.expansionsignals.domain.SubscriptionState.class, subscriptions, states.size(), config));
    }

    /** " field bytes, ..." for the fields of {@code type} over {@code values}, per account, largest first. */
    private static <T> String bytesByField(Class<T> type, java.util.Collection<T> values, int accounts,
            org.apache.flink.api.common.serialization.SerializerConfigImpl config) {
        var info = (org.apache.flink.api.java.typeutils.PojoTypeInfo<T>) org.apache.flink.api.common.typeinfo.TypeInformation.of(type);
        org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(4096);
        Map<String, Long> byField = new HashMap<>();
        try {
            for (int i = 0; i < info.getArity(); i++) {
                var field = info.getPojoFieldAt(i);
                @SuppressWarnings("unchecked")
                var serializer = (org.apache.flink.api.common.typeutils.TypeSerializer<Object>)
                        field.getTypeInformation().createSerializer(config);
                java.lang.reflect.Field f = field.getField();
                f.setAccessible(true);
                long bytes = 0;
                for (T value : values) {
                    Object v = f.get(value);
                    out.clear();
                    if (v != null) {
                        serializer.serialize(v, out);
                    }
                    bytes += out.length() + 1; // the POJO serializer's null marker per field
                }
                byField.put(f.getName(), bytes);
            }
        } catch (IllegalAccessException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder line = new StringBuilder();
        byField.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> line.append(String.format(" %s %.0f,", e.getKey(), e.getValue() / (double) accounts)));
        return line.substring(0, line.length() - 1);
    }

    public static EngineResult apply(AccountEngine engine, InputValidator validator, Map<String, AccountState> states, Object e,
            long now) {
        if (e instanceof SubscriptionEvent s) {
            if (validator.check(s, now).or(() -> validator.checkCatalog(s)).isPresent()) {
                return null;
            }
            return engine.onSubscription(states.computeIfAbsent(s.getAccountId(), AccountEngine::newAccount), s, now);
        } else if (e instanceof UsageEvent u) {
            if (validator.check(u, now).isPresent()) {
                return null;
            }
            return engine.onUsage(states.computeIfAbsent(u.getAccountId(), AccountEngine::newAccount), u, now);
        }
        EngagementEvent g = (EngagementEvent) e;
        if (validator.check(g, now).isPresent()) {
            return null;
        }
        return engine.onEngagement(states.computeIfAbsent(g.getAccountId(), AccountEngine::newAccount), g, now);
    }

    public static List<Object> generate(int accounts, int target) {
        WorkloadSpec spec = WorkloadSpec.defaults(Instant.now()).withAccounts(accounts)
                .withStart(Instant.now().minus(Duration.ofDays(1500)));
        WorkloadGenerator generator = new WorkloadGenerator(spec);
        List<Object> events = new ArrayList<>(target);
        WorkloadSink sink = new WorkloadSink() {
            @Override public void subscription(SubscriptionEvent e) { events.add(SubscriptionEvent.newBuilder(e).build()); }
            @Override public void usage(UsageEvent e) { events.add(UsageEvent.newBuilder(e).build()); }
            @Override public void engagement(EngagementEvent e) { events.add(EngagementEvent.newBuilder(e).build()); }
            @Override public void raw(String topicKind, String key, byte[] value, MalformedKind kind) { }
        };
        while (events.size() < target && generator.tick(sink)) {
            // generate
        }
        return events;
    }
}
