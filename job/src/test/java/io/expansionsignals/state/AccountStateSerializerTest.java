package io.expansionsignals.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EmptyArrays;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.domain.MetricState;
import io.expansionsignals.domain.NameLongMap;
import io.expansionsignals.domain.NameMap;
import io.expansionsignals.domain.RecentEventIds;
import io.expansionsignals.domain.SubscriptionState;
import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.HealthBand;
import io.expansionsignals.schema.Segment;
import io.expansionsignals.schema.UsageKind;
import io.expansionsignals.testutils.Catalogs;
import io.expansionsignals.testutils.Events;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class AccountStateSerializerTest {
    private final AccountStateSerializer serializer = new AccountStateSerializer();

    /**
     * Every persisted field of the state classes, filled with a random non-default value, survives
     * the round trip: a field added to {@code AccountState}, {@code MetricState},
     * {@code SubscriptionState} or {@code GateHits} and not to the serializer fails here.
     */
    @Test
    void everyPersistedFieldRoundTrips() throws Exception {
        for (long seed = 1; seed <= 200; seed++) {
            Random r = new Random(seed);
            AccountState a = (AccountState) filled(AccountState.class, r);
            a.seenIdTimes = Arrays.copyOf(a.seenIdTimes, a.seenIdHashes.length);
            a.seenIdCount = a.seenIdHashes.length;

            AccountState copy = roundTrip(a);

            assertThat(copy).usingRecursiveComparison().isEqualTo(a);
        }
    }

    @Test
    void theFillerLeavesNoPersistedFieldAtItsDefault() throws Exception {
        AccountState a = (AccountState) filled(AccountState.class, new Random(7));
        AccountState fresh = new AccountState();
        for (Field f : persistedFields(AccountState.class)) {
            assertThat(f.get(a)).as(f.getName()).isNotEqualTo(f.get(fresh));
        }
    }

    @Test
    void anAccountBuiltByTheEngineRoundTripsAndIsSmallerThanWithThePojoSerializer() throws Exception {
        AccountState a = engineAccount();

        AccountState copy = roundTrip(a);

        assertThat(copy).usingRecursiveComparison()
                .ignoringFieldsMatchingRegexes("subscriptionFacts", "metricArrays", ".*\\.derived[A-Za-z]*").isEqualTo(a);
        assertThat(RecentEventIds.contains(copy, "evt-x")).isTrue();
        TypeSerializer<AccountState> pojo = TypeInformation.of(AccountState.class).createSerializer(new SerializerConfigImpl());
        assertThat(bytes(serializer, a).length).isLessThan(bytes(pojo, a).length * 3 / 4);
    }

    /**
     * Names (metrics, features, levels, signal types, plans, currencies, add-ons) come back as the
     * instances every account shares; what is an account's own (its id, subscription and event ids,
     * milestones) comes back as its own, and a subscription's id is the one string of its key.
     */
    @Test
    void namesComeBackSharedAndIdsAsTheAccountsOwn() throws Exception {
        AccountState a = (AccountState) filled(AccountState.class, new Random(11));
        a.seenIdTimes = Arrays.copyOf(a.seenIdTimes, a.seenIdHashes.length);
        a.seenIdCount = a.seenIdHashes.length;
        a.subscriptions.forEach((id, s) -> s.subscriptionId = id); // as the engine keys them
        byte[] stored = bytes(serializer, a);

        AccountState one = read(stored);
        AccountState two = read(stored);

        assertSameKeys(one.metrics, two.metrics);
        assertSameKeys(one.featureLastUsed, two.featureLastUsed);
        assertSameKeys(one.gateHits, two.gateHits);
        assertSameKeys(one.gateSignalledAt, two.gateSignalledAt);
        assertSameKeys(one.lastSignalAt, two.lastSignalAt);
        assertSameKeys(one.lastSignalLevel, two.lastSignalLevel);
        assertSameKeys(one.seatLevelFiredInPeriod, two.seatLevelFiredInPeriod);
        assertThat(one.seatLevelsDisarmed.get(0)).isSameAs(two.seatLevelsDisarmed.get(0));
        String metric = one.metrics.keySet().iterator().next();
        assertSameKeys(one.metrics.get(metric).firedInPeriod, two.metrics.get(metric).firedInPeriod);
        assertThat(one.metrics.get(metric).disarmed.get(0)).isSameAs(two.metrics.get(metric).disarmed.get(0));
        String id = one.subscriptions.keySet().iterator().next();
        SubscriptionState s1 = one.subscriptions.get(id);
        SubscriptionState s2 = two.subscriptions.get(id);
        assertThat(s1.planId).isSameAs(s2.planId);
        assertThat(s1.currency).isSameAs(s2.currency);
        assertSameKeys(s1.limits, s2.limits);
        assertSameKeys(s1.addOns, s2.addOns);

        assertThat(one.accountId).isEqualTo(two.accountId).isNotSameAs(two.accountId);
        assertThat(one.firedMilestones.get(0)).isNotSameAs(two.firedMilestones.get(0));
        assertThat(s1.cancelEventId).isNotSameAs(s2.cancelEventId);
        assertThat(s1.subscriptionId).isSameAs(keyOf(one.subscriptions, id)).isNotSameAs(s2.subscriptionId);
    }

    /**
     * The maps from names to longs come back as {@link NameLongMap}s, two arrays whatever their
     * size, not hash maps of nodes and boxed values: what the barrier's encoding walk reaches
     * (change 41). Encoded from either kind, the entries are the same.
     */
    @Test
    void mapsOfNamesToLongsComeBackAsTwoArrays() throws Exception {
        AccountState a = (AccountState) filled(AccountState.class, new Random(41));
        a.seenIdTimes = Arrays.copyOf(a.seenIdTimes, a.seenIdHashes.length);
        a.seenIdCount = a.seenIdHashes.length;
        byte[] fromHashMaps = bytes(serializer, a);

        AccountState read = read(fromHashMaps);

        String metric = read.metrics.keySet().iterator().next();
        SubscriptionState s = read.subscriptions.values().iterator().next();
        for (Map<String, Long> m : List.of(read.featureLastUsed, read.gateSignalledAt, read.lastSignalAt,
                read.seatLevelFiredInPeriod, read.metrics.get(metric).firedInPeriod, s.limits, s.addOns)) {
            assertThat(m).isInstanceOf(NameLongMap.class).isNotEmpty();
        }
        // and the maps to objects as NameMaps, keys and values in arrays (change 43)
        for (Map<String, ?> m : List.of(read.metrics, read.subscriptions, read.gateHits, read.lastSignalLevel)) {
            assertThat(m).isInstanceOf(NameMap.class).isNotEmpty();
        }
        assertThat(a.metrics).isNotInstanceOf(NameMap.class);
        assertThat(a.featureLastUsed).isNotInstanceOf(NameLongMap.class); // the filler's, so both kinds are encoded
        byte[] fromArrays = bytes(serializer, read); // the same entries (hash maps elsewhere may iterate in another order)
        assertThat(fromArrays).hasSameSizeAs(fromHashMaps);
        assertThat(read(fromArrays)).usingRecursiveComparison().isEqualTo(a);
    }

    /**
     * Empty arrays come back as the one shared empty array (a DELTA metric has no gauge readings, a
     * new account no score ring or event ids), not as a fresh object each; filled ones as their own.
     */
    @Test
    void emptyArraysComeBackSharedAndFilledOnesAsTheirOwn() throws Exception {
        AccountState read = roundTrip(engineAccount());

        MetricState delta = read.metrics.get("api_calls");
        MetricState gauge = read.metrics.get("storage_gb");
        assertThat(delta.gaugeTimes).isSameAs(EmptyArrays.LONGS);
        assertThat(delta.gaugeValues).isSameAs(EmptyArrays.LONGS);
        assertThat(gauge.gaugeTimes).hasSize(5).isNotSameAs(gauge.gaugeValues);
        assertThat(gauge.gaugeValues).containsExactly(81, 82, 83, 84, 85);
        assertThat(read.seenIdHashes).isNotEmpty();

        AccountState fresh = roundTrip(AccountEngine.newAccount("new"));
        assertThat(fresh.dailyScoreTenths).isSameAs(EmptyArrays.SHORTS);
        assertThat(fresh.seenIdHashes).isSameAs(EmptyArrays.LONGS);
        assertThat(fresh.seenIdTimes).isSameAs(EmptyArrays.LONGS);
        RecentEventIds.remember(fresh, "evt-1", 1_000L, 86_400_000L, 1024); // a shared empty array grows into its own
        assertThat(RecentEventIds.containsHash(fresh, RecentEventIds.hash("evt-1"))).isTrue();
        assertThat(EmptyArrays.LONGS).isEmpty();
    }

    private AccountState read(byte[] stored) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(stored);
        return serializer.deserialize(in);
    }

    private static void assertSameKeys(Map<String, ?> one, Map<String, ?> two) {
        assertThat(one).isNotEmpty();
        for (String k : one.keySet()) {
            assertThat(keyOf(two, k)).as(k).isSameAs(k);
        }
    }

    private static String keyOf(Map<String, ?> map, String name) {
        return map.keySet().stream().filter(name::equals).findFirst().orElseThrow();
    }

    /** RecentEventIds forgets on a full array: a restored account must be exactly as full as it was. */
    @Test
    void deduplicationKeepsItsCapacityAndOnlyTheIdsInUse() throws Exception {
        AccountState a = new AccountState();
        a.seenIdHashes = new long[] {11, 22, 33, 99, 99, 99, 99, 99};
        a.seenIdTimes = new long[] {1_000, 2_000, 1_500, 9, 9, 9, 9, 9};
        a.seenIdCount = 3;

        AccountState copy = roundTrip(a);

        assertThat(copy.seenIdHashes).hasSize(8).startsWith(11, 22, 33);
        assertThat(copy.seenIdTimes).hasSize(8).startsWith(1_000, 2_000, 1_500);
        assertThat(copy.seenIdCount).isEqualTo(3);
    }

    @Test
    void aCopyIsDeep() {
        AccountState a = engineAccount();
        AccountState copy = serializer.copy(a);

        copy.metrics.values().iterator().next().usage += 1;
        copy.subscriptions.clear();
        copy.dailyScoreTenths[0] = 123;

        assertThat(a.subscriptions).isNotEmpty();
        assertThat(roundTrip(a)).usingRecursiveComparison()
                .ignoringFieldsMatchingRegexes("subscriptionFacts", "metricArrays", ".*\\.derived[A-Za-z]*")
                .isNotEqualTo(copy);
    }

    @Test
    void corruptBytesFailWithAnErrorInsteadOfAnAccount() throws Exception {
        byte[] good = bytes(serializer, engineAccount());
        byte[] truncated = Arrays.copyOf(good, good.length / 2);
        assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(truncated))).isInstanceOf(IOException.class);

        DataOutputSerializer out = new DataOutputSerializer(16);
        Utf8Strings.write(out, "a"); // the accountId
        VarInts.writeInt(out, 100); // a segment index (stored plus one) beyond the enum
        assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isInstanceOf(IOException.class).hasMessageContaining("Segment index 99");
    }

    @Test
    void varIntsRoundTripAtTheEdges() throws Exception {
        long[] values = {0, 1, -1, 63, 64, -64, -65, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
                1_767_225_600_000L};
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (long v : values) {
            VarInts.writeLong(out, v);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (long v : values) {
            assertThat(VarInts.readLong(in)).isEqualTo(v);
        }
        assertThat(in.available()).isZero();
        DataOutputSerializer one = new DataOutputSerializer(8);
        VarInts.writeLong(one, -1);
        assertThat(one.length()).isEqualTo(1);
    }

    @Test
    void theSameFormatRestoresAsIsAndThePojoFormatMigrates() throws Exception {
        TypeSerializerSnapshot<AccountState> current = serializer.snapshotConfiguration();

        assertThat(current.resolveSchemaCompatibility(reread(current)).isCompatibleAsIs()).isTrue();
        TypeSerializerSnapshot<AccountState> pojo = TypeInformation.of(AccountState.class)
                .createSerializer(new SerializerConfigImpl()).snapshotConfiguration();
        assertThat(current.resolveSchemaCompatibility(pojo).isCompatibleAfterMigration()).isTrue();
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<AccountState> other = (TypeSerializerSnapshot) Types.LONG.createSerializer(new SerializerConfigImpl())
                .snapshotConfiguration();
        assertThat(current.resolveSchemaCompatibility(other).isIncompatible()).isTrue();
    }

    /** An enum's symbols reordered between versions: stored indexes are read with the old order, then rewritten. */
    @Test
    void enumIndexesKeepTheirMeaningAcrossAReorder() throws Exception {
        AccountStateSerializer old = withSegmentsReversed();
        AccountState a = engineAccount();
        a.segment = Segment.values()[0];
        byte[] written = bytes(old, a);

        TypeSerializerSchemaCompatibility<AccountState> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(reread(old.snapshotConfiguration()));
        AccountState restored = reread(old.snapshotConfiguration()).restoreSerializer().deserialize(new DataInputDeserializer(written));

        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
        assertThat(restored.segment).isEqualTo(Segment.values()[0]);
        assertThat(bytes(serializer, restored)).isNotEqualTo(written);
    }

    /** The account cache's flush hands RocksDB accounts it encoded before writing them (change 38): the same bytes. */
    @Test
    void anEncodedAccountIsWrittenAsItsBytes() throws Exception {
        AccountState a = engineAccount();
        byte[] direct = bytes(serializer, a);
        byte[] padded = new byte[direct.length + 6];
        System.arraycopy(direct, 0, padded, 3, direct.length);

        byte[] viaHolder = bytes(serializer, new EncodedAccount().set(serializer, a, padded, 3, direct.length));
        byte[] viaAnEqualSerializer = bytes(new AccountStateSerializer(), new EncodedAccount().set(serializer, a, padded, 3, direct.length));

        assertThat(viaHolder).isEqualTo(direct);
        assertThat(viaAnEqualSerializer).isEqualTo(direct);
    }

    /** Bytes encoded with other enum tables would restore as other enum symbols: the account is encoded anew. */
    @Test
    void anAccountEncodedInAnotherFormatIsEncodedAnew() throws Exception {
        AccountStateSerializer other = withSegmentsReversed();
        AccountState a = engineAccount();
        a.segment = Segment.values()[0];
        byte[] theirs = bytes(other, a);

        byte[] written = bytes(serializer, new EncodedAccount().set(other, a, theirs, 0, theirs.length));

        assertThat(written).isEqualTo(bytes(serializer, a)).isNotEqualTo(theirs);
    }

    @Test
    void aSymbolAppendedToAnEnumIsStillReadAsIs() throws Exception {
        List<String> fewer = EnumTable.current(HealthBand.class).names().subList(0, HealthBand.values().length - 1);
        AccountStateSerializer old = new AccountStateSerializer(EnumTable.current(Segment.class), EnumTable.of(HealthBand.class, fewer),
                EnumTable.current(BillingInterval.class), EnumTable.current(UsageKind.class));

        assertThat(serializer.snapshotConfiguration().resolveSchemaCompatibility(reread(old.snapshotConfiguration()))
                .isCompatibleAsIs()).isTrue();
    }

    @Test
    void aSymbolRemovedFailsTheRestoreByName() {
        assertThatThrownBy(() -> EnumTable.of(HealthBand.class, List.of("HEALTHY", "THRIVING")))
                .hasMessageContaining("HealthBand.THRIVING").hasMessageContaining("cannot be restored");
    }

    @Test
    void theSerializerSurvivesJavaSerialisationAsFlinkShipsIt() throws Exception {
        byte[] java = org.apache.flink.util.InstantiationUtil.serializeObject(serializer);
        Object back = org.apache.flink.util.InstantiationUtil.deserializeObject(java, getClass().getClassLoader());
        assertThat(back).isEqualTo(serializer);
    }

    private AccountState roundTrip(AccountState a) {
        try {
            return serializer.deserialize(new DataInputDeserializer(bytes(serializer, a)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(TypeSerializer<AccountState> s, AccountState a) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(1024);
            s.serialize(a, out);
            return out.getCopyOfBuffer();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Written and read back as a checkpoint would: proves the snapshot carries what it needs. */
    private static TypeSerializerSnapshot<AccountState> reread(TypeSerializerSnapshot<AccountState> s) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, s);
        return TypeSerializerSnapshot.readVersionedSnapshot(new DataInputDeserializer(out.getCopyOfBuffer()),
                AccountStateSerializerTest.class.getClassLoader());
    }

    /** The current format but with {@link Segment}'s symbols in reverse order, as a reorder between versions makes it. */
    private static AccountStateSerializer withSegmentsReversed() {
        List<String> reversed = new ArrayList<>(EnumTable.current(Segment.class).names());
        java.util.Collections.reverse(reversed);
        return new AccountStateSerializer(EnumTable.of(Segment.class, reversed), EnumTable.current(HealthBand.class),
                EnumTable.current(BillingInterval.class), EnumTable.current(UsageKind.class));
    }

    private static AccountState engineAccount() {
        AccountEngine engine = new AccountEngine(EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build());
        AccountState a = AccountEngine.newAccount("acme");
        engine.onSubscription(a, Events.created("acme", Events.day(0), 10_000, Map.of("api_calls", 100L)), 0);
        engine.onUsage(a, Events.delta("acme", "api_calls", 85, Events.day(1)), 0);
        for (int d = 1; d <= 5; d++) {
            engine.onUsage(a, Events.gauge("acme", "storage_gb", 80 + d, Events.day(d)), 0);
        }
        engine.onEngagement(a, Events.gateHit("acme", "sso", "growth", Events.day(2)), 0);
        engine.onEngagement(a, Events.activeUsers("acme", 10, Events.day(2)), 0);
        RecentEventIds.remember(a, "evt-x", Events.day(2).toEpochMilli(), 86_400_000L, 1024);
        return a;
    }

    private static List<Field> persistedFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Field f : type.getDeclaredFields()) {
            int m = f.getModifiers();
            if (!Modifier.isStatic(m) && !Modifier.isTransient(m)) {
                f.setAccessible(true);
                fields.add(f);
            }
        }
        return fields;
    }

    /** An instance of a state class with every persisted field set, recursively, to a random non-default value. */
    private static Object filled(Class<?> type, Random r) throws Exception {
        Object o = type.getConstructor().newInstance();
        for (Field f : persistedFields(type)) {
            f.set(o, value(f.getType(), f.getGenericType(), r));
        }
        return o;
    }

    private static Object value(Class<?> c, Type generic, Random r) throws Exception {
        if (c == String.class) {
            return r.nextBoolean() ? "k" + r.nextInt(1_000) : "é€" + r.nextInt(1_000); // beyond ASCII as well
        }
        if (c == long.class || c == Long.class) {
            return switch (r.nextInt(3)) {
                case 0 -> 1_700_000_000_000L + r.nextInt(1_000_000_000); // a time
                case 1 -> (long) r.nextInt(1_000) + 1;
                default -> r.nextLong() | 1;
            };
        }
        if (c == int.class || c == Integer.class) {
            return r.nextBoolean() ? r.nextInt(100) + 1 : r.nextInt() | 1;
        }
        if (c == boolean.class) {
            return true;
        }
        if (c == Double.class || c == double.class) {
            return r.nextDouble() - 0.5;
        }
        if (c.isEnum()) {
            Object[] constants = c.getEnumConstants();
            return constants[1 + r.nextInt(constants.length - 1)]; // never the first, which may be a field's default
        }
        if (c == short[].class) {
            short[] s = new short[1 + r.nextInt(32)];
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) (r.nextInt(2_002) - 1);
            }
            return s;
        }
        if (c == long[].class) {
            long[] l = new long[1 + r.nextInt(30)];
            for (int i = 0; i < l.length; i++) {
                l[i] = (Long) value(long.class, long.class, r);
            }
            return l;
        }
        Type[] args = generic instanceof ParameterizedType p ? p.getActualTypeArguments() : new Type[0];
        if (c == Map.class) {
            Map<Object, Object> m = new HashMap<>();
            for (int i = 1 + r.nextInt(4); i > 0; i--) {
                m.put(value(String.class, String.class, r), value((Class<?>) args[1], args[1], r));
            }
            return m;
        }
        if (c == List.class) {
            List<Object> l = new ArrayList<>();
            for (int i = 1 + r.nextInt(4); i > 0; i--) {
                l.add(value((Class<?>) args[0], args[0], r));
            }
            return l;
        }
        if (c.getPackageName().equals("io.expansionsignals.domain")) {
            return filled(c, r);
        }
        throw new IllegalStateException("no random value for " + generic + ": teach the filler, and the serializer, this type");
    }
}
