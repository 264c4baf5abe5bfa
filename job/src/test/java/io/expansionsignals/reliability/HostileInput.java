package io.expansionsignals.reliability;

import io.expansionsignals.config.CatalogLoader;
import io.expansionsignals.io.registry.ConfluentWireFormat;
import io.expansionsignals.schema.DeadLetterReason;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.EngagementType;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.workload.MalformedKind;
import io.expansionsignals.workload.WorkloadGenerator;
import io.expansionsignals.workload.WorkloadSink;
import io.expansionsignals.workload.WorkloadSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * A seeded stream of hostile Kafka records for the three input topics: realistic valid events
 * from the {@link WorkloadGenerator} mixed with producer retries (same bytes again), local
 * reordering, and every kind of broken record we could think of, each labelled with what the job
 * must make of it. The same seed gives the same records byte for byte.
 */
final class HostileInput {
    static final String SUBSCRIPTIONS = "subscription-events";
    static final String USAGE = "usage-events";
    static final String ENGAGEMENT = "engagement-events";
    static final int SUBSCRIPTION_ID = 1;
    static final int USAGE_ID = 2;
    static final int ENGAGEMENT_ID = 3;
    /** A fixed "now" well after every generated event and before the wall clock. */
    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    enum Expect { VALID, DEAD, ANY }

    /** One Kafka record and what must become of it ({@code reason} only for DEAD ones). */
    record Input(int seq, String topic, long offset, byte[] key, byte[] value, String kind, Expect expect,
            DeadLetterReason reason, String eventId, String accountId) {}

    static Map<Integer, Schema> schemas() {
        return Map.of(SUBSCRIPTION_ID, SubscriptionEvent.getClassSchema(), USAGE_ID, UsageEvent.getClassSchema(),
                ENGAGEMENT_ID, EngagementEvent.getClassSchema());
    }

    private final SplittableRandom rng;
    private final List<SpecificRecord> base;
    private final List<SpecificRecord> subscriptions;
    private final List<Input> out = new ArrayList<>();
    private final List<Input> validSoFar = new ArrayList<>();
    private final Map<String, Long> offsets = new HashMap<>();
    private int next;

    private HostileInput(long seed, int count) {
        this.rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.base = baseEvents(seed, count + 100);
        this.subscriptions = base.stream().filter(e -> e instanceof SubscriptionEvent).toList();
    }

    /**
     * @param hostileShare share of records that are not a clean first delivery (duplicates, broken
     *     bytes, bad fields); the rest are valid workload events in generation order
     */
    static List<Input> generate(long seed, int count, double hostileShare) {
        HostileInput h = new HostileInput(seed, count);
        while (h.out.size() < count) {
            double p = h.rng.nextDouble();
            if (p >= hostileShare || h.validSoFar.isEmpty()) {
                h.valid();
            } else if (p < hostileShare * 0.35) {
                h.duplicate();
            } else if (p < hostileShare * 0.6) {
                h.broken();
            } else {
                h.mutated();
            }
        }
        h.reorder();
        return h.out;
    }

    /** Realistic events in event-time order: a clean workload (no duplicates, no malformed, no lateness). */
    static List<SpecificRecord> baseEvents(long seed, int wanted) {
        List<SpecificRecord> events = new ArrayList<>(wanted);
        WorkloadSink sink = new WorkloadSink() {
            @Override public void subscription(SubscriptionEvent e) { events.add(e); }
            @Override public void usage(UsageEvent e) { events.add(e); }
            @Override public void engagement(EngagementEvent e) { events.add(e); }
            @Override public void raw(String topicKind, String key, byte[] value, MalformedKind kind) { }
        };
        int accounts = Math.max(100, wanted / 400);
        Instant bound = START.plus(Duration.ofDays(540));
        WorkloadGenerator g = new WorkloadGenerator(new WorkloadSpec(seed, accounts, START, Duration.ofHours(6), 0, 0, 0),
                CatalogLoader.load(null), Clock.fixed(bound, ZoneOffset.UTC));
        while (events.size() < wanted && g.tick(sink)) {
            // keeps simulating
        }
        return events;
    }

    private SpecificRecord nextBase() {
        return base.get(next++ % base.size());
    }

    private void valid() {
        SpecificRecord r = nextBase();
        if (next > base.size()) { // wrapped around: a fresh id keeps "valid" meaning first delivery
            r = withEventId(r, eventId(r) + "-r" + (next / base.size()));
        }
        Input in = add(topicOf(r), key(accountId(r)), frame(idOf(r), r), "VALID", Expect.VALID, null, eventId(r), accountId(r));
        validSoFar.add(in);
    }

    /** A producer retry: the very same bytes again, soon or much later. */
    private void duplicate() {
        int back = rng.nextDouble() < 0.8 ? rng.nextInt(1, Math.min(50, validSoFar.size()) + 1) : rng.nextInt(1, validSoFar.size() + 1);
        Input original = validSoFar.get(validSoFar.size() - back);
        add(original.topic(), original.key(), original.value(), "DUPLICATE", Expect.VALID, null, original.eventId(),
                original.accountId());
    }

    private void broken() {
        SpecificRecord r = nextBase();
        String topic = topicOf(r);
        byte[] key = key(accountId(r));
        byte[] good = frame(idOf(r), r);
        switch (rng.nextInt(9)) {
            case 0 -> {
                byte[] b = randomBytes(rng.nextInt(0, 300));
                boolean mayDecode = b.length >= 5 && b[0] == 0 && schemas().containsKey(ConfluentWireFormat.readSchemaId(b));
                add(topic, key, b, "RANDOM_BYTES", mayDecode ? Expect.ANY : Expect.DEAD, null, null, null);
            }
            case 1 -> add(topic, key, concat(ConfluentWireFormat.header(idOf(r)), randomBytes(rng.nextInt(0, 200))),
                    "HEADER_RANDOM_BODY", Expect.ANY, null, null, null);
            case 2 -> add(topic, key, java.util.Arrays.copyOf(good, rng.nextInt(0, good.length)), "TRUNCATED",
                    Expect.DEAD, null, null, null);
            case 3 -> add(topic, key, concat(good, randomBytes(rng.nextInt(1, 20))), "TRAILING_BYTES", Expect.DEAD,
                    DeadLetterReason.UNDECODABLE, null, null);
            case 4 -> {
                byte[] b = good.clone();
                int i = rng.nextInt(ConfluentWireFormat.HEADER_LENGTH, b.length);
                b[i] ^= (byte) (1 << rng.nextInt(8));
                add(topic, key, b, "BIT_FLIP", Expect.ANY, null, null, null);
            }
            case 5 -> {
                int id = rng.nextDouble() < 0.5 ? MalformedKind.UNKNOWN_SCHEMA_ID_VALUE : rng.nextInt(4, Integer.MAX_VALUE);
                add(topic, key, concat(ConfluentWireFormat.header(id), java.util.Arrays.copyOfRange(good, 5, good.length)),
                        "UNKNOWN_SCHEMA_ID", Expect.DEAD, DeadLetterReason.UNKNOWN_SCHEMA_ID, null, null);
            }
            case 6 -> {
                // A usage record on the subscription topic, and so on: a known id the topic's reader cannot read.
                String wrongTopic = topic.equals(USAGE) ? SUBSCRIPTIONS : topic.equals(SUBSCRIPTIONS) ? ENGAGEMENT : USAGE;
                add(wrongTopic, key, good, "WRONG_SCHEMA_FOR_TOPIC", Expect.DEAD, DeadLetterReason.INCOMPATIBLE_SCHEMA, null, null);
            }
            case 7 -> add(topic, key, unknownEnumIndex(r), "UNKNOWN_ENUM_INDEX", Expect.DEAD,
                    DeadLetterReason.UNDECODABLE, null, null);
            default -> add(topic, key, null, "NULL_VALUE", Expect.DEAD, DeadLetterReason.UNDECODABLE, null, null);
        }
    }

    /** A decodable record with one field made hostile, and the verdict SPEC §6 gives it. */
    private void mutated() {
        // Subscription events are rare in a workload; a third of the mutations target one on purpose.
        SpecificRecord r = rng.nextDouble() < 0.3 && !subscriptions.isEmpty()
                ? subscriptions.get(rng.nextInt(subscriptions.size())) : nextBase();
        String account = accountId(r);
        String id = eventId(r);
        int seq = out.size();
        String mutation;
        DeadLetterReason reason = null;
        Expect expect = Expect.DEAD;
        SpecificRecord m;
        String keyAccount = account;
        int common = rng.nextInt(12);
        if (common < 8) {
            switch (common) {
                case 0 -> { mutation = "EMPTY_EVENT_ID"; reason = DeadLetterReason.MISSING_FIELD; m = withEventId(r, ""); }
                case 1 -> { mutation = "BLANK_ACCOUNT_ID"; reason = DeadLetterReason.MISSING_FIELD; m = withAccount(r, rng.nextBoolean() ? "" : " \t "); }
                case 2 -> { mutation = "TS_1970"; reason = DeadLetterReason.INVALID_VALUE; m = withTime(r, Instant.ofEpochMilli(rng.nextLong(0, 86_400_000L * 365))); }
                case 3 -> { mutation = "TS_EXTREME_PAST"; reason = DeadLetterReason.INVALID_VALUE; m = withTime(r, Instant.ofEpochMilli(Long.MIN_VALUE + rng.nextInt(1000))); }
                case 4 -> { mutation = "TS_2100"; reason = DeadLetterReason.FUTURE_TIMESTAMP; m = withTime(r, Instant.parse("2100-01-01T00:00:00Z").plusSeconds(rng.nextInt(1_000_000))); }
                case 5 -> { mutation = "TS_EXTREME_FUTURE"; reason = DeadLetterReason.FUTURE_TIMESTAMP; m = withTime(r, Instant.ofEpochMilli(Long.MAX_VALUE - rng.nextInt(1000))); }
                case 6 -> { mutation = "KEY_MISMATCH"; reason = DeadLetterReason.KEY_MISMATCH; m = r; keyAccount = account + "-other"; }
                default -> {
                    if (rng.nextBoolean()) {
                        mutation = "UNKNOWN_ACCOUNT"; expect = Expect.VALID; account = "fuzz-new-" + seq; keyAccount = account;
                        m = withAccount(r, account);
                    } else {
                        mutation = "HUGE_EVENT_ID"; expect = Expect.VALID; m = r;
                        id = id + "-" + "x".repeat(rng.nextInt(1_000, 20_000));
                    }
                }
            }
        } else if (r instanceof SubscriptionEvent s) {
            SubscriptionEvent.Builder b = SubscriptionEvent.newBuilder(s);
            switch (rng.nextInt(9)) {
                case 0 -> { mutation = "NEGATIVE_AMOUNT"; reason = DeadLetterReason.INVALID_VALUE; b.setAmountMinor(-1 - rng.nextLong(0, Long.MAX_VALUE)); }
                case 1 -> { mutation = "NEGATIVE_SEATS"; reason = DeadLetterReason.INVALID_VALUE; b.setQuantity(-1 - rng.nextInt(0, Integer.MAX_VALUE)); }
                case 2 -> { mutation = "UNKNOWN_CURRENCY"; reason = DeadLetterReason.UNKNOWN_CURRENCY; b.setCurrency(rng.nextBoolean() ? "XXX" : ""); }
                case 3 -> { mutation = "UNKNOWN_PLAN"; reason = DeadLetterReason.UNKNOWN_PLAN; b.setPlanId("plan-" + rng.nextInt(1000)); }
                case 4 -> { mutation = "ZERO_LIMIT"; reason = DeadLetterReason.INVALID_VALUE; Map<String, Long> l = new HashMap<>(s.getLimits()); l.put("api_calls", rng.nextBoolean() ? 0L : Long.MIN_VALUE); b.setLimits(l); }
                case 5 -> { mutation = "EXTREME_AMOUNT"; reason = DeadLetterReason.INVALID_VALUE; b.setAmountMinor(Long.MAX_VALUE - rng.nextInt(1000)); }
                case 6 -> { mutation = "EXTREME_SEATS"; reason = DeadLetterReason.INVALID_VALUE; b.setQuantity(Integer.MAX_VALUE - rng.nextInt(1000)); }
                case 7 -> { mutation = "HUGE_STRINGS"; expect = Expect.VALID; b.setSubscriptionId("sub-" + "s".repeat(rng.nextInt(1_000, 30_000))); }
                default -> { mutation = "GHOST_ACCOUNT_INVALID"; reason = DeadLetterReason.INVALID_VALUE; account = "ghost-" + seq; keyAccount = account; b.setAccountId(account).setAmountMinor(-5); }
            }
            m = b.build();
        } else if (r instanceof UsageEvent u) {
            UsageEvent.Builder b = UsageEvent.newBuilder(u);
            switch (rng.nextInt(6)) {
                case 0 -> { mutation = "NEGATIVE_QUANTITY"; reason = DeadLetterReason.INVALID_VALUE; b.setQuantity(rng.nextBoolean() ? -1 : Long.MIN_VALUE); }
                case 1 -> { mutation = "EMPTY_METRIC"; reason = DeadLetterReason.MISSING_FIELD; b.setMetric(""); }
                case 2 -> { mutation = "EXTREME_QUANTITY"; reason = DeadLetterReason.INVALID_VALUE; b.setQuantity(Long.MAX_VALUE - rng.nextInt(1000)); }
                case 3 -> { mutation = "HUGE_STRINGS"; expect = Expect.VALID; b.setMetric("m-" + "q".repeat(rng.nextInt(1_000, 30_000))); }
                case 4 -> { mutation = rng.nextBoolean() ? "ZERO_QUANTITY" : "LARGE_QUANTITY"; expect = Expect.VALID; b.setQuantity(mutation.equals("ZERO_QUANTITY") ? 0 : 1_000_000_000_000_000L - rng.nextInt(1000)); }
                default -> { mutation = "GHOST_ACCOUNT_INVALID"; reason = DeadLetterReason.INVALID_VALUE; account = "ghost-" + seq; keyAccount = account; b.setAccountId(account).setQuantity(-7); }
            }
            m = b.build();
        } else {
            EngagementEvent.Builder b = EngagementEvent.newBuilder((EngagementEvent) r);
            switch (rng.nextInt(8)) {
                case 0 -> { mutation = "BAD_SENTIMENT"; reason = DeadLetterReason.INVALID_VALUE; b.setType(EngagementType.SUPPORT_TICKET).setSentiment(rng.nextBoolean() ? Double.NaN : 1.5 + rng.nextDouble()); }
                case 1 -> { mutation = "MISSING_SENTIMENT"; reason = DeadLetterReason.MISSING_FIELD; b.setType(EngagementType.SUPPORT_TICKET).setSentiment(null); }
                case 2 -> { mutation = "BAD_NPS"; reason = DeadLetterReason.INVALID_VALUE; b.setType(EngagementType.NPS_RESPONSE).setNpsScore(rng.nextBoolean() ? 11 : Integer.MIN_VALUE); }
                case 3 -> { mutation = "NEGATIVE_ACTIVE_USERS"; reason = DeadLetterReason.INVALID_VALUE; b.setType(EngagementType.ACTIVE_USERS).setActiveUsers(-1 - rng.nextInt(0, Integer.MAX_VALUE)); }
                case 4 -> { mutation = "MISSING_FEATURE"; reason = DeadLetterReason.MISSING_FIELD; b.setType(rng.nextBoolean() ? EngagementType.FEATURE_USED : EngagementType.FEATURE_GATE_HIT).setFeature(rng.nextBoolean() ? null : " "); }
                case 5 -> { mutation = "EXTREME_ACTIVE_USERS"; expect = Expect.ANY; b.setType(EngagementType.ACTIVE_USERS).setActiveUsers(Integer.MAX_VALUE); }
                case 6 -> { mutation = "HUGE_STRINGS"; expect = Expect.VALID; b.setType(EngagementType.FEATURE_GATE_HIT).setFeature("f-" + "g".repeat(rng.nextInt(1_000, 30_000))).setFeatureTier("t".repeat(5_000)); }
                default -> { mutation = "GHOST_ACCOUNT_INVALID"; reason = DeadLetterReason.MISSING_FIELD; account = "ghost-" + seq; keyAccount = account; b.setAccountId(account).setType(EngagementType.NPS_RESPONSE).setNpsScore(null); }
            }
            m = b.build();
        }
        String tag = expect == Expect.DEAD ? "-x-" : expect == Expect.VALID ? "-v-" : "-a-";
        String fresh = mutation.equals("EMPTY_EVENT_ID") ? "" : id + tag + mutation.toLowerCase() + "-" + seq;
        m = withEventId(m, fresh);
        String realAccount = accountId(m);
        Input in = add(topicOf(m), key(keyAccount), frame(idOf(m), m), "FIELD:" + mutation, expect, reason, fresh,
                realAccount);
        if (expect == Expect.VALID) {
            validSoFar.add(in);
        }
    }

    /** Moves about 5% of the records a few places later: arrival order is not event order. */
    private void reorder() {
        for (int i = 0; i < out.size(); i++) {
            if (rng.nextDouble() < 0.05) {
                int j = Math.min(out.size() - 1, i + rng.nextInt(1, 20));
                Input a = out.get(i);
                out.set(i, out.get(j));
                out.set(j, a);
            }
        }
    }

    private Input add(String topic, byte[] key, byte[] value, String kind, Expect expect, DeadLetterReason reason,
            String eventId, String accountId) {
        long offset = offsets.merge(topic, 1L, Long::sum) - 1;
        Input in = new Input(out.size(), topic, offset, key, value, kind, expect, reason, eventId, accountId);
        out.add(in);
        return in;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rng.nextInt(256);
        }
        return b;
    }

    /** Encodes {@code r} with an enum symbol index its schema does not have (raw Avro, valid header). */
    private byte[] unknownEnumIndex(SpecificRecord r) {
        Schema real = r.getSchema();
        List<Schema.Field> fields = new ArrayList<>();
        String enumField = null;
        for (Schema.Field f : real.getFields()) {
            Schema fs = f.schema();
            if (fs.getType() == Schema.Type.ENUM && enumField == null) {
                List<String> symbols = new ArrayList<>(fs.getEnumSymbols());
                for (int i = 0; i < 5; i++) {
                    symbols.add("FUZZ_" + i);
                }
                fs = Schema.createEnum(fs.getName(), fs.getDoc(), fs.getNamespace(), symbols);
                enumField = f.name();
            }
            fields.add(new Schema.Field(f.name(), fs, f.doc(), f.defaultVal()));
        }
        Schema wider = Schema.createRecord(real.getName(), real.getDoc(), real.getNamespace(), false, fields);
        try {
            byte[] body = encode(real, r, SpecificData.get());
            GenericRecord g = new GenericDatumReader<GenericRecord>(real, wider)
                    .read(null, DecoderFactory.get().binaryDecoder(body, null));
            Schema enumSchema = wider.getField(enumField).schema();
            g.put(enumField, new GenericData.EnumSymbol(enumSchema, "FUZZ_" + rng.nextInt(5)));
            return concat(ConfluentWireFormat.header(idOf(r)), encode(wider, g, GenericData.get()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] frame(int id, SpecificRecord r) {
        return concat(ConfluentWireFormat.header(id), encode(r.getSchema(), r, SpecificData.get()));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] encode(Schema schema, Object datum, GenericData model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        try {
            if (model instanceof SpecificData sd) {
                new SpecificDatumWriter(schema, sd).write(datum, encoder);
            } else {
                new GenericDatumWriter(schema, model).write(datum, encoder);
            }
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static byte[] key(String account) {
        return account == null ? null : account.getBytes(StandardCharsets.UTF_8);
    }

    static String topicOf(SpecificRecord r) {
        return r instanceof SubscriptionEvent ? SUBSCRIPTIONS : r instanceof UsageEvent ? USAGE : ENGAGEMENT;
    }

    static int idOf(SpecificRecord r) {
        return r instanceof SubscriptionEvent ? SUBSCRIPTION_ID : r instanceof UsageEvent ? USAGE_ID : ENGAGEMENT_ID;
    }

    static String eventId(SpecificRecord r) {
        return r.get(r.getSchema().getField("eventId").pos()).toString();
    }

    static String accountId(SpecificRecord r) {
        return r.get(r.getSchema().getField("accountId").pos()).toString();
    }

    static SpecificRecord withEventId(SpecificRecord r, String id) {
        if (r instanceof SubscriptionEvent e) {
            return SubscriptionEvent.newBuilder(e).setEventId(id).build();
        }
        if (r instanceof UsageEvent e) {
            return UsageEvent.newBuilder(e).setEventId(id).build();
        }
        return EngagementEvent.newBuilder((EngagementEvent) r).setEventId(id).build();
    }

    private static SpecificRecord withAccount(SpecificRecord r, String account) {
        if (r instanceof SubscriptionEvent e) {
            return SubscriptionEvent.newBuilder(e).setAccountId(account).build();
        }
        if (r instanceof UsageEvent e) {
            return UsageEvent.newBuilder(e).setAccountId(account).build();
        }
        return EngagementEvent.newBuilder((EngagementEvent) r).setAccountId(account).build();
    }

    private static SpecificRecord withTime(SpecificRecord r, Instant at) {
        if (r instanceof SubscriptionEvent e) {
            return SubscriptionEvent.newBuilder(e).setOccurredAt(at).build();
        }
        if (r instanceof UsageEvent e) {
            return UsageEvent.newBuilder(e).setOccurredAt(at).build();
        }
        return EngagementEvent.newBuilder((EngagementEvent) r).setOccurredAt(at).build();
    }
}
