package io.expansionsignals.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.config.CatalogLoader;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.io.kafka.InputRecordDeserializer;
import io.expansionsignals.reliability.HostileInput.Expect;
import io.expansionsignals.reliability.HostileInput.Input;
import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.DeadLetterReason;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.internal.DecodedRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue #6, hostile input: hundreds of thousands of seeded records (random bytes, truncated Avro,
 * unknown schema ids, unknown enum indexes, extreme and empty field values, 1970 and 2100 stamps,
 * unknown accounts, duplicates, reordering) through the real decode + validate path
 * ({@link InputRecordDeserializer} with the real registry client against an in-process stub) and
 * every valid result through the account engine. {@code -Dreliability.long=true} runs 2 M records;
 * {@code -Dreliability.seed=N} another seed.
 */
class HostileInputFuzzTest {
    static final boolean LONG = Boolean.getBoolean("reliability.long");
    static final long SEED = Long.getLong("reliability.seed", 20_261_123L);

    static EngineSettings settings() {
        CatalogLoader.Loaded catalog = CatalogLoader.load(null);
        return EngineSettings.builder().catalog(catalog.catalog()).fx(catalog.fx()).build();
    }

    /** Decode outcome of each input, in input order: a DecodedRecord holding an event or a DeadLetter. */
    static final class Decoded {
        final List<Input> inputs;
        final DecodedRecord[] results;
        final List<String> failures = new ArrayList<>();
        final Map<String, Map<String, Integer>> outcomesByKind = new TreeMap<>();
        int valid;
        int dead;
        int registryRequests;
        /** The decoders' own count, read from their {@code registry_requests} gauges. */
        long registryRequestsReported;
        int unknownIdDeadLetters;

        Decoded(List<Input> inputs) {
            this.inputs = inputs;
            this.results = new DecodedRecord[inputs.size()];
        }
    }

    static Decoded decodeAll(List<Input> inputs, EngineSettings settings) throws Exception {
        Decoded d = new Decoded(inputs);
        List<Gauge<?>> registryGauges = new ArrayList<>();
        try (StubSchemaRegistry registry = new StubSchemaRegistry(HostileInput.schemas())) {
            Map<String, InputRecordDeserializer<?>> byTopic = Map.of(
                    HostileInput.SUBSCRIPTIONS, open(new InputRecordDeserializer<>(HostileInput.SUBSCRIPTIONS, SubscriptionEvent.class, registry.settings(), settings), registryGauges),
                    HostileInput.USAGE, open(new InputRecordDeserializer<>(HostileInput.USAGE, UsageEvent.class, registry.settings(), settings), registryGauges),
                    HostileInput.ENGAGEMENT, open(new InputRecordDeserializer<>(HostileInput.ENGAGEMENT, EngagementEvent.class, registry.settings(), settings), registryGauges));
            var catalogChecks = new io.expansionsignals.domain.InputValidator(settings);
            List<DecodedRecord> out = new ArrayList<>(1);
            Collector<DecodedRecord> collector = new Collector<>() {
                @Override public void collect(DecodedRecord r) { out.add(r); }
                @Override public void close() { }
            };
            for (Input in : inputs) {
                out.clear();
                try {
                    byTopic.get(in.topic()).deserialize(new ConsumerRecord<>(in.topic(), 0, in.offset(), in.key(), in.value()), collector);
                } catch (Throwable t) {
                    fail(d, in, "deserialize threw " + t);
                    continue;
                }
                if (out.size() != 1) {
                    fail(d, in, "produced " + out.size() + " records, not exactly one");
                    continue;
                }
                DecodedRecord r = out.get(0);
                if (r.getPayload() instanceof SubscriptionEvent se) {
                    // the keyed operator's check against the catalog in force (AccountProcessor), with the origin bytes
                    var violation = catalogChecks.checkCatalog(se);
                    if (violation.isPresent()) {
                        r = io.expansionsignals.functions.AccountEvents.wrap(io.expansionsignals.functions.DeadLetters.of(
                                r.getOrigin(), violation.get().reason(), violation.get().detail(), 0));
                    }
                }
                d.results[in.seq()] = r;
                String outcome;
                if (r.getPayload() instanceof DeadLetter dl) {
                    d.dead++;
                    outcome = dl.getReason().name();
                    if (dl.getReason() == DeadLetterReason.UNKNOWN_SCHEMA_ID) {
                        d.unknownIdDeadLetters++;
                    }
                    if (dl.getDetail() == null || dl.getDetail().isBlank()) {
                        fail(d, in, "dead letter without detail");
                    }
                    if (!dl.getSourceTopic().equals(in.topic()) || dl.getOffset() != in.offset() || dl.getPartition() != 0) {
                        fail(d, in, "dead letter does not name its source record: " + dl.getSourceTopic() + "/" + dl.getOffset());
                    }
                    if (!sameBytes(dl.getValue(), in.value()) || !sameBytes(dl.getKey(), in.key())) {
                        fail(d, in, "dead letter does not carry the original key and value bytes");
                    }
                    if (in.expect() == Expect.VALID) {
                        fail(d, in, "expected valid, got dead letter " + dl.getReason() + ": " + dl.getDetail());
                    } else if (in.reason() != null && in.reason() != dl.getReason()) {
                        fail(d, in, "expected reason " + in.reason() + ", got " + dl.getReason() + ": " + dl.getDetail());
                    }
                } else {
                    d.valid++;
                    outcome = "VALID";
                    if (in.expect() == Expect.DEAD) {
                        fail(d, in, "expected a dead letter (" + in.reason() + "), but it was accepted: " + r.getPayload());
                    }
                }
                d.outcomesByKind.computeIfAbsent(in.kind(), k -> new TreeMap<>()).merge(outcome, 1, Integer::sum);
            }
            d.registryRequests = registry.requests.get();
            for (Gauge<?> g : registryGauges) {
                d.registryRequestsReported += ((Number) g.getValue()).longValue();
            }
        }
        return d;
    }

    /** Opens {@code d} with a metric group that hands its {@code registry_requests} gauge to {@code gauges}. */
    private static InputRecordDeserializer<?> open(InputRecordDeserializer<?> d, List<Gauge<?>> gauges) {
        MetricGroup group = new UnregisteredMetricsGroup() {
            @Override public MetricGroup addGroup(String name) { return this; }
            @Override public MetricGroup addGroup(String key, String value) { return this; }
            @Override public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
                if (name.equals("registry_requests")) {
                    gauges.add(gauge);
                }
                return gauge;
            }
        };
        d.open(new DeserializationSchema.InitializationContext() {
            @Override public MetricGroup getMetricGroup() { return group; }
            @Override public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(HostileInputFuzzTest.class.getClassLoader());
            }
        });
        return d;
    }

    private static boolean sameBytes(ByteBuffer carried, byte[] original) {
        if (carried == null || original == null) {
            return carried == null && original == null;
        }
        ByteBuffer b = carried.duplicate();
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        return Arrays.equals(copy, original);
    }

    private static void fail(Decoded d, Input in, String why) {
        if (d.failures.size() < 10_000) {
            d.failures.add("#" + in.seq() + " " + in.kind() + " on " + in.topic() + ": " + why);
        }
    }

    /** Signals that share an id with another, grouped, for a readable failure. */
    static <S> List<String> duplicateIds(List<S> signals, java.util.function.Function<S, String> id) {
        Map<String, List<S>> byId = new java.util.LinkedHashMap<>();
        signals.forEach(s -> byId.computeIfAbsent(id.apply(s), k -> new ArrayList<>()).add(s));
        List<String> out = new ArrayList<>();
        byId.values().stream().filter(l -> l.size() > 1).limit(5).forEach(l -> out.add(l.toString()));
        return out;
    }

    @Test
    void everyHostileRecordIsAppliedDeduplicatedOrDeadLetteredWithAReasonAndNothingThrows() throws Exception {
        int count = Integer.getInteger("reliability.fuzz.records", LONG ? 2_000_000 : 100_000);
        EngineSettings settings = settings();
        long t0 = System.nanoTime();
        List<Input> inputs = HostileInput.generate(SEED, count, 0.2);
        long t1 = System.nanoTime();
        Decoded d = decodeAll(inputs, settings);
        long t2 = System.nanoTime();

        // (b) every valid record through the engine, in arrival order, as the operator would.
        EngineReplay replay = new EngineReplay(settings);
        List<String> engineFailures = new ArrayList<>();
        Set<String> deadEventIds = new HashSet<>();
        for (Input in : inputs) {
            DecodedRecord r = d.results[in.seq()];
            if (r == null) {
                continue;
            }
            if (r.getPayload() instanceof DeadLetter) {
                if (in.eventId() != null) {
                    deadEventIds.add(in.eventId());
                }
                continue;
            }
            try {
                replay.accept((SpecificRecord) r.getPayload());
            } catch (Throwable t) {
                if (engineFailures.size() < 50) {
                    engineFailures.add("#" + in.seq() + " " + in.kind() + ": engine threw " + t + " on " + r.getPayload());
                }
            }
        }
        long t3 = System.nanoTime();

        System.out.printf("hostile-input fuzz: seed %d, %,d records (generate %.1f s, decode+validate %.1f s, engine %.1f s); "
                        + "%,d valid, %,d dead letters; engine: %,d applied (%,d superseded, %,d closed-period), %,d duplicates, "
                        + "%,d accounts expired; %,d expansion + %,d churn-risk signals, %,d MRR movements; %,d registry lookups%n",
                SEED, inputs.size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, d.valid, d.dead, replay.applied,
                replay.superseded, replay.closedPeriod, replay.duplicates, replay.expired, replay.expansion.size(),
                replay.churn.size(), replay.movements.size(), d.registryRequests);
        d.outcomesByKind.forEach((kind, outcomes) -> System.out.println("  " + kind + " -> " + outcomes));

        assertThat(d.registryRequestsReported).as("the decoders' registry_requests gauges count what the registry saw")
                .isEqualTo(d.registryRequests);
        assertThat(d.registryRequests).as("an unknown id is asked about once per TTL, not once per record")
                .isLessThan(d.unknownIdDeadLetters);
        assertThat(d.failures).as("decode/validate failures (first shown)").hasSizeLessThanOrEqualTo(0)
                .isEmpty();
        assertThat(engineFailures).as("engine failures on records that passed validation").isEmpty();
        // The accounting invariant: every input is exactly one of applied, duplicate, dead letter.
        assertThat((long) inputs.size()).isEqualTo(replay.applied + replay.duplicates + d.dead);
        assertThat(d.valid + d.dead).isEqualTo(inputs.size());
        long injectedDuplicates = inputs.stream().filter(i -> i.kind().equals("DUPLICATE")).count();
        assertThat(replay.duplicates).as("retries recognised as duplicates").isGreaterThanOrEqualTo(injectedDuplicates);
        assertThat(d.outcomesByKind.keySet()).as("every hostile kind was generated").contains("RANDOM_BYTES",
                "TRUNCATED", "UNKNOWN_SCHEMA_ID", "WRONG_SCHEMA_FOR_TOPIC", "UNKNOWN_ENUM_INDEX", "FIELD:TS_1970",
                "FIELD:TS_2100", "FIELD:NEGATIVE_AMOUNT", "FIELD:EXTREME_QUANTITY", "FIELD:HUGE_STRINGS", "FIELD:GHOST_ACCOUNT_INVALID");

        // No signal from an invalid record, and none for an account that only ever sent invalid ones.
        List<String> causes = new ArrayList<>();
        replay.expansion.forEach(s -> causes.add(s.getCauseEventId()));
        replay.churn.forEach(s -> causes.add(s.getCauseEventId()));
        assertThat(causes).filteredOn(c -> c != null && !replay.appliedIds.contains(c)).as("signals caused by non-applied events").isEmpty();
        assertThat(causes).filteredOn(c -> c != null && deadEventIds.contains(c)).isEmpty();
        assertThat(replay.expansion).extracting(ExpansionSignal::getAccountId).allMatch(replay.appliedAccounts::contains)
                .noneMatch(a -> a.startsWith("ghost-"));
        assertThat(replay.churn).extracting(ChurnRiskSignal::getAccountId).allMatch(replay.appliedAccounts::contains)
                .noneMatch(a -> a.startsWith("ghost-"));
        assertThat(replay.states.keySet()).noneMatch(a -> a.startsWith("ghost-")).anyMatch(a -> a.startsWith("fuzz-new-"));
        // Signal ids are unique per (account, type, identity).
        assertThat(duplicateIds(replay.expansion, ExpansionSignal::getSignalId)).as("expansion signals sharing an id").isEmpty();
        assertThat(duplicateIds(replay.churn, ChurnRiskSignal::getSignalId)).as("churn-risk signals sharing an id").isEmpty();
        assertThat(replay.expansion).isNotEmpty();
    }
}
