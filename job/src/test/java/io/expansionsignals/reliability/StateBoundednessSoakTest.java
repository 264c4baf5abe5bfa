package io.expansionsignals.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.functions.AccountEvents;
import io.expansionsignals.functions.AccountProcessor;
import io.expansionsignals.functions.OutputTags;
import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.EngagementType;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.Segment;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.UsageKind;
import io.expansionsignals.schema.internal.DecodedRecord;
import io.expansionsignals.state.AccountStateSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.ToIntFunction;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import io.expansionsignals.functions.CatalogState;
import io.expansionsignals.domain.RecentEventIds;
import io.expansionsignals.domain.ScoreHistory;
import org.junit.jupiter.api.Test;

/**
 * Issue #6 (3), soak: a long stream over many accounts through the real keyed operator (Flink's
 * test harness, heap backend, event-time watermarks and processing time advancing with the
 * simulated days). Every simulated month it takes a checkpoint
 * and measures: checkpoint bytes per account, serialized {@link AccountState} size percentiles,
 * the largest of each growing collection in the state, visible de-duplication entries, keyed
 * state entries, and heap after GC. The state must stop growing once accounts are established.
 *
 * <p>Default: 400 accounts over 300 days (about 53 k events, 10 checkpoints). {@code -Dreliability.long=true}:
 * 50,000 accounts over 150 days (about 3 M events); {@code -Dreliability.soak.accounts/days} to choose.
 */
class StateBoundednessSoakTest {
    private static final long DAY = 86_400_000L;
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final Duration DEDUP = Duration.ofDays(7);
    private static final String[] PLANS = {"starter", "growth", "business", "enterprise"};
    private static final String[] METRICS = {"api_calls", "storage_gb"};

    /** One measurement taken at a checkpoint. */
    record Round(int day, long events, int accounts, long checkpointBytes, int keyedEntries, long heapMb,
            int p50, int p99, int max, Map<String, Integer> largest, int maxDedupVisible) {}

    @Test
    void stateStaysBoundedOverManyAccountsAndMonths() throws Exception {
        boolean longRun = HostileInputFuzzTest.LONG;
        int accounts = Integer.getInteger("reliability.soak.accounts", longRun ? 50_000 : 400);
        int days = Integer.getInteger("reliability.soak.days", longRun ? 150 : 300);
        assertBounded(soak(accounts, days, false), accounts, true);
    }

    /**
     * The production setting: RocksDB with the write-behind account cache (here far smaller than
     * the population, so accounts are written back on eviction as well as before each checkpoint).
     */
    @Test
    void stateStaysBoundedOnRocksDbWithTheAccountCache() throws Exception {
        int accounts = Integer.getInteger("reliability.soak.rocksdb.accounts", 200);
        int days = Integer.getInteger("reliability.soak.rocksdb.days", 180);
        // RocksDB's checkpoint size counts SST files until compaction merges them (it moved
        // between 180 and 520 KB from month to month here), so the states themselves are measured.
        assertBounded(soak(accounts, days, true), accounts, false);
    }

    private static List<Round> soak(int accounts, int days, boolean rocksDbWithCache) throws Exception {
        EngineSettings settings = HostileInputFuzzTest.settings();
        if (rocksDbWithCache) {
            settings = settings.toBuilder().stateCacheSize(accounts / 4).build();
        }
        AccountProcessor processor = new AccountProcessor(settings, DEDUP, Duration.ofDays(400));
        var harness = new KeyedBroadcastOperatorTestHarness<>(
                rocksDbWithCache ? new io.expansionsignals.functions.AccountOperator(processor)
                        : new CoBroadcastWithKeyedOperator<>(processor, List.of(CatalogState.DESCRIPTOR)),
                AccountEvents::accountId, Types.STRING, 1, 1, 0);
        if (rocksDbWithCache) {
            harness.setStateBackend(new org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend());
        }
        harness.setProcessingTime(START.toEpochMilli());
        harness.setStateTtlProcessingTime(START.toEpochMilli());
        harness.open();
        SplittableRandom rng = new SplittableRandom(HostileInputFuzzTest.SEED + 4);
        Sim[] sims = new Sim[accounts];
        for (int i = 0; i < accounts; i++) {
            sims[i] = new Sim(String.format("soak-%06d", i), rng.nextInt(0, 30), rng.nextInt(PLANS.length));
        }
        List<Round> rounds = new ArrayList<>();
        long events = 0;
        long t0 = System.nanoTime();
        long seq = 0;
        for (int day = 0; day < days; day++) {
            long dayStart = START.toEpochMilli() + day * DAY;
            List<Object> batch = new ArrayList<>();
            for (Sim s : sims) {
                s.day(day, dayStart, rng, batch);
            }
            batch.sort((a, b) -> Long.compare(time(a), time(b)));
            for (Object e : batch) {
                harness.processElement(new StreamRecord<>(AccountEvents.wrap(e), time(e)));
                if (rng.nextDouble() < 0.02) { // a producer retry
                    harness.processElement(new StreamRecord<>(AccountEvents.wrap(e), time(e)));
                }
                seq++;
            }
            events += batch.size();
            harness.setProcessingTime(dayStart + DAY);
            harness.setStateTtlProcessingTime(dayStart + DAY);
            harness.watermark(dayStart + DAY - 3 * 3_600_000L);
            // Outputs are not under test here: drop them so the heap figure is about state.
            harness.getOutput().clear();
            for (var tag : List.of(OutputTags.HEALTH, OutputTags.MOVEMENTS, OutputTags.CHURN_RISK)) {
                if (harness.getSideOutput(tag) != null) {
                    harness.getSideOutput(tag).clear();
                }
            }
            if ((day + 1) % 30 == 0) {
                rounds.add(measure(harness, day + 1, events, sims, day + 1));
                System.out.println("  soak " + rounds.get(rounds.size() - 1));
            }
        }
        harness.close();
        System.out.printf("soak (%s): %,d accounts, %d days, %,d events (+2%% retries) in %.1f s%n",
                rocksDbWithCache ? "RocksDB, account cache" : "heap", accounts, days, events, (System.nanoTime() - t0) / 1e9);
        return rounds;
    }

    private static void assertBounded(List<Round> rounds, int accounts, boolean checkpointBytesAreState) {
        Round mid = rounds.get(Math.min(rounds.size() - 1, Math.max(1, rounds.size() / 3)));
        Round last = rounds.get(rounds.size() - 1);
        assertThat(last.max()).as("largest serialized AccountState, bytes").isLessThan(32 * 1024);
        assertThat((double) last.p99()).as("p99 state size at the end vs after %d days", mid.day())
                .isLessThanOrEqualTo(mid.p99() * 1.3 + 256);
        if (checkpointBytesAreState) {
            assertThat((double) last.checkpointBytes() / last.accounts()).as("checkpoint bytes per account")
                    .isLessThanOrEqualTo(1.3 * mid.checkpointBytes() / mid.accounts() + 256);
        }
        mid.largest().forEach((collection, size) -> assertThat(last.largest().get(collection))
                .as("largest %s at day %d vs day %d", collection, last.day(), mid.day()).isLessThanOrEqualTo(size + Math.max(3, size / 4)));
        assertThat(last.keyedEntries()).isLessThanOrEqualTo(3 * accounts);
        assertThat(last.maxDedupVisible()).as("eventIds remembered for one account (7-day event-time window)")
                .isLessThanOrEqualTo(7 * 12);
    }

    private static long time(Object e) {
        return AccountEvents.eventTime(AccountEvents.wrap(e));
    }

    private static Round measure(KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> harness,
            int day, long events, Sim[] sims, long checkpointId) throws Exception {
        harness.prepareSnapshotPreBarrier(checkpointId); // as the task does: the account cache writes back
        long checkpointBytes = harness.snapshot(checkpointId, checkpointId).getStateSize();
        KeyedStateBackend<String> backend = harness.getOperator().getKeyedStateBackend();
        ValueState<AccountState> account = backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("account", new AccountStateSerializer()));
        TypeSerializer<AccountState> serializer = new AccountStateSerializer(); // what the job stores
        DataOutputSerializer out = new DataOutputSerializer(4096);
        int step = Math.max(1, sims.length / 2_000);
        List<Integer> sizes = new ArrayList<>();
        Map<String, Integer> largest = new java.util.TreeMap<>();
        int maxDedup = 0;
        int present = 0;
        for (int i = 0; i < sims.length; i += step) {
            backend.setCurrentKey(sims[i].id);
            AccountState a = account.value();
            if (a == null) {
                continue;
            }
            maxDedup = Math.max(maxDedup, RecentEventIds.size(a));
            present++;
            out.clear();
            serializer.serialize(a, out);
            sizes.add(out.length());
            track(largest, "firedMilestones", a, s -> s.firedMilestones.size());
            track(largest, "featureLastUsed", a, s -> s.featureLastUsed.size());
            track(largest, "gateHits", a, s -> s.gateHits.size());
            track(largest, "gateHits.times", a, s -> s.gateHits.values().stream().mapToInt(g -> g.times.size()).sum());
            track(largest, "gateSignalledAt", a, s -> s.gateSignalledAt.size());
            track(largest, "lastSignalAt", a, s -> s.lastSignalAt.size());
            track(largest, "dailyScores", a, ScoreHistory::size);
            track(largest, "metrics", a, s -> s.metrics.size());
            track(largest, "metric samples", a, s -> s.metrics.values().stream().mapToInt(m -> m.gaugeTimes.length).sum());
            track(largest, "firedInPeriod", a, s -> s.metrics.values().stream().mapToInt(m -> m.firedInPeriod.size()).sum());
            track(largest, "subscriptions", a, s -> s.subscriptions.size());
        }
        int[] sorted = sizes.stream().mapToInt(Integer::intValue).sorted().toArray();
        System.gc();
        long heapMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
        return new Round(day, events, sims.length, checkpointBytes, ((org.apache.flink.runtime.state.TestableKeyedStateBackend<?>) backend).numKeyValueStateEntries(), heapMb,
                pct(sorted, 0.5), pct(sorted, 0.99), sorted.length == 0 ? 0 : sorted[sorted.length - 1], largest, maxDedup);
    }

    private static void track(Map<String, Integer> largest, String name, AccountState a, ToIntFunction<AccountState> size) {
        largest.merge(name, size.applyAsInt(a), Math::max);
    }

    private static int pct(int[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    /** One simulated customer: a monthly subscription renewing every 30 days, usage, engagement. */
    private static final class Sim {
        final String id;
        final int startDay;
        int plan;
        int seats = 10;
        long renewal;
        int n;
        boolean paymentOpen;

        Sim(String id, int startDay, int plan) {
            this.id = id;
            this.startDay = startDay;
            this.plan = plan;
        }

        void day(int day, long dayStart, SplittableRandom rng, List<Object> out) {
            if (day < startDay) {
                return;
            }
            long at = dayStart + rng.nextLong(DAY);
            if (day == startDay) {
                renewal = dayStart + 30 * DAY;
                out.add(sub(SubscriptionEventType.CREATED, dayStart + 1).setStartDate(Instant.ofEpochMilli(dayStart)).build());
                return;
            }
            if (dayStart + DAY > renewal) { // the billing system reports the next renewal date
                renewal += 30 * DAY;
                out.add(sub(SubscriptionEventType.QUANTITY_CHANGED, at).build());
            } else if (rng.nextDouble() < 0.003) {
                plan = Math.min(PLANS.length - 1, plan + 1);
                out.add(sub(SubscriptionEventType.PLAN_CHANGED, at).build());
            }
            if (rng.nextDouble() < 0.25) {
                long limitish = (long) Math.pow(10, 3 + plan);
                out.add(usage(METRICS[0], UsageKind.DELTA, rng.nextLong(1, Math.max(2, limitish / 20)), at + 1));
            }
            if (rng.nextDouble() < 0.05) {
                out.add(usage(METRICS[1], UsageKind.GAUGE, rng.nextLong(1, 100L * (plan + 1) * 2), at + 2));
            }
            if (rng.nextDouble() < 0.06) {
                out.add(eng(EngagementType.FEATURE_USED, at + 3).setFeature("feature-" + feature(rng)).build());
            }
            if (rng.nextDouble() < 0.03) {
                out.add(eng(EngagementType.FEATURE_GATE_HIT, at + 4).setFeature("feature-" + feature(rng)).setFeatureTier("business").build());
            }
            if (rng.nextDouble() < 0.02) {
                out.add(eng(EngagementType.ACTIVE_USERS, at + 5).setActiveUsers(rng.nextInt(1, seats + 3)).build());
            }
            if (rng.nextDouble() < 0.01) {
                out.add(eng(EngagementType.SUPPORT_TICKET, at + 6).setSentiment(rng.nextDouble(-1, 1)).build());
            }
            if (rng.nextDouble() < 0.005) {
                out.add(eng(EngagementType.NPS_RESPONSE, at + 7).setNpsScore(rng.nextInt(11)).build());
            }
            if (paymentOpen) {
                paymentOpen = false;
                out.add(eng(EngagementType.PAYMENT_RECOVERED, at + 8).build());
            } else if (rng.nextDouble() < 0.003) {
                paymentOpen = true;
                out.add(eng(EngagementType.PAYMENT_FAILED, at + 8).build());
            }
        }

        /** A vocabulary of 400 features, a few used a lot. */
        private static int feature(SplittableRandom rng) {
            double u = rng.nextDouble();
            return (int) (400 * u * u * u);
        }

        private String nextId() {
            return id + "-" + (n++);
        }

        private SubscriptionEvent.Builder sub(SubscriptionEventType type, long at) {
            return SubscriptionEvent.newBuilder().setEventId(nextId()).setAccountId(id).setOccurredAt(Instant.ofEpochMilli(at))
                    .setType(type).setSubscriptionId(id + "-sub").setPlanId(PLANS[plan]).setSegment(Segment.SMB)
                    .setBillingInterval(BillingInterval.MONTHLY).setAmountMinor(4_900L * (plan + 1) * 3).setCurrency("USD")
                    .setQuantity(seats).setRenewalDate(Instant.ofEpochMilli(renewal)).setLimits(new HashMap<>());
        }

        private UsageEvent usage(String metric, UsageKind kind, long quantity, long at) {
            return UsageEvent.newBuilder().setEventId(nextId()).setAccountId(id).setOccurredAt(Instant.ofEpochMilli(at))
                    .setMetric(metric).setQuantity(quantity).setKind(kind).build();
        }

        private EngagementEvent.Builder eng(EngagementType type, long at) {
            return EngagementEvent.newBuilder().setEventId(nextId()).setAccountId(id).setOccurredAt(Instant.ofEpochMilli(at)).setType(type);
        }
    }
}
