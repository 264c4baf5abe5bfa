package io.expansionsignals.state;

import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EmptyArrays;
import io.expansionsignals.domain.GateHits;
import io.expansionsignals.domain.MetricState;
import io.expansionsignals.domain.NameLongMap;
import io.expansionsignals.domain.NameMap;
import io.expansionsignals.domain.SubscriptionState;
import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.HealthBand;
import io.expansionsignals.schema.Segment;
import io.expansionsignals.schema.UsageKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The account state's serializer: every persisted field of {@link AccountState} and the objects it
 * holds, in a fixed order, integers as zig-zag varints and times in order as differences.
 *
 * <p>Why not Flink's POJO serializer, which the account state used up to 0.1 and still restores
 * from: at 100 k accounts on RocksDB it took ~15 % of the account operator's thread (field access
 * by reflection, a null marker per field, fixed 8-byte longs), and every byte it wrote went through
 * RocksDB's memtable, flush and compaction. Not Kryo either: this format is fixed here and
 * versioned by {@link AccountStateSerializerSnapshot}.
 *
 * <p>Adding a field: append it to the end of {@link #serialize} and {@link #deserialize} under a new
 * snapshot version, and read the older version without it. {@code AccountStateSerializerTest}
 * fails for a field of the state classes that does not survive the round trip.
 */
public final class AccountStateSerializer extends TypeSerializer<AccountState> {
    private static final long serialVersionUID = 1L;

    final EnumTable<Segment> segments;
    final EnumTable<HealthBand> bands;
    final EnumTable<BillingInterval> intervals;
    final EnumTable<UsageKind> kinds;

    public AccountStateSerializer() {
        this(EnumTable.current(Segment.class), EnumTable.current(HealthBand.class), EnumTable.current(BillingInterval.class),
                EnumTable.current(UsageKind.class));
    }

    AccountStateSerializer(EnumTable<Segment> segments, EnumTable<HealthBand> bands, EnumTable<BillingInterval> intervals,
            EnumTable<UsageKind> kinds) {
        this.segments = segments;
        this.bands = bands;
        this.intervals = intervals;
        this.kinds = kinds;
    }

    List<EnumTable<?>> enumTables() {
        return List.of(segments, bands, intervals, kinds);
    }

    @Override
    public void serialize(AccountState a, DataOutputView out) throws IOException {
        if (a instanceof EncodedAccount encoded) {
            if (encoded.format == this || equals(encoded.format)) {
                out.write(encoded.bytes, encoded.offset, encoded.length);
            } else {
                serialize(encoded.account, out);
            }
            return;
        }
        Utf8Strings.write(out, a.accountId);
        segments.write(out, a.segment);
        writeMap(out, a.subscriptions, (o, k, s) -> writeSubscription(o, s));
        VarInts.writeLong(out, a.mrrMinor);
        out.writeBoolean(a.everActive);
        VarInts.writeLong(out, a.firstStartAt);
        VarInts.writeLong(out, a.lastEventAt);
        writeMap(out, a.metrics, (o, k, m) -> writeMetric(o, m));
        VarInts.writeInt(out, a.activeUsers);
        VarInts.writeLong(out, a.activeUsersAt);
        writeStrings(out, a.seatLevelsDisarmed);
        writeLongMap(out, a.seatLevelFiredInPeriod);
        writeLongMap(out, a.featureLastUsed);
        VarInts.writeInt(out, a.adoptedFeatures);
        VarInts.writeLong(out, a.adoptedFrom);
        VarInts.writeLong(out, a.adoptedTo);
        writeMap(out, a.gateHits, (o, k, hits) -> writeLongList(o, hits == null ? null : hits.times));
        writeLongMap(out, a.gateSignalledAt);
        writeNullableDouble(out, a.sentiment);
        VarInts.writeInt(out, a.npsScore);
        VarInts.writeInt(out, a.openPaymentFailures);
        out.writeBoolean(a.paymentSeen);
        VarInts.writeLong(out, a.lastPaymentRecoveredAt);
        short[] ring = a.dailyScoreTenths == null ? EmptyArrays.SHORTS : a.dailyScoreTenths;
        VarInts.writeInt(out, ring.length);
        for (short s : ring) {
            VarInts.writeInt(out, s);
        }
        VarInts.writeLong(out, a.dailyScoresNewestDay);
        bands.write(out, a.band);
        out.writeBoolean(a.scoreDropActive);
        out.writeBoolean(a.atRiskSignalled);
        writeLongMap(out, a.lastSignalAt);
        writeMap(out, a.lastSignalLevel, (o, k, level) -> o.writeDouble(notNull(level, "lastSignalLevel", k)));
        writeStrings(out, a.firedMilestones);
        writeSeenIds(out, a);
        VarInts.writeLong(out, a.wakeUpAt);
        out.writeInt(a.lastSnapshotFingerprint);
        writeNullableDouble(out, a.lastSnapshotScore);
    }

    @Override
    public AccountState deserialize(DataInputView in) throws IOException {
        AccountState a = new AccountState();
        a.accountId = Utf8Strings.read(in);
        a.segment = segments.read(in);
        a.subscriptions = readMap(in, Utf8Strings::read, this::readSubscription);
        for (Map.Entry<String, SubscriptionState> e : a.subscriptions.entrySet()) {
            if (e.getKey().equals(e.getValue().subscriptionId)) {
                e.getValue().subscriptionId = e.getKey(); // one string for the id, as the engine keeps it
            }
        }
        a.mrrMinor = VarInts.readLong(in);
        a.everActive = in.readBoolean();
        a.firstStartAt = VarInts.readLong(in);
        a.lastEventAt = VarInts.readLong(in);
        a.metrics = readMap(in, Utf8Strings::readName, this::readMetric);
        a.activeUsers = VarInts.readInt(in);
        a.activeUsersAt = VarInts.readLong(in);
        a.seatLevelsDisarmed = readStrings(in, Utf8Strings::readName);
        a.seatLevelFiredInPeriod = readLongMap(in);
        a.featureLastUsed = readLongMap(in);
        a.adoptedFeatures = VarInts.readInt(in);
        a.adoptedFrom = VarInts.readLong(in);
        a.adoptedTo = VarInts.readLong(in);
        a.gateHits = readMap(in, Utf8Strings::readName, i -> {
            GateHits hits = new GateHits();
            hits.times = readLongList(i);
            return hits;
        });
        a.gateSignalledAt = readLongMap(in);
        a.sentiment = readNullableDouble(in);
        a.npsScore = VarInts.readInt(in);
        a.openPaymentFailures = VarInts.readInt(in);
        a.paymentSeen = in.readBoolean();
        a.lastPaymentRecoveredAt = VarInts.readLong(in);
        int days = VarInts.readSize(in);
        short[] ring = days == 0 ? EmptyArrays.SHORTS : new short[days];
        for (int i = 0; i < ring.length; i++) {
            ring[i] = (short) VarInts.readInt(in);
        }
        a.dailyScoreTenths = ring;
        a.dailyScoresNewestDay = VarInts.readLong(in);
        a.band = bands.read(in);
        a.scoreDropActive = in.readBoolean();
        a.atRiskSignalled = in.readBoolean();
        a.lastSignalAt = readLongMap(in);
        a.lastSignalLevel = readMap(in, Utf8Strings::readName, DataInputView::readDouble);
        a.firedMilestones = readStrings(in, Utf8Strings::read); // name|anchor: one of a kind
        readSeenIds(in, a);
        a.wakeUpAt = VarInts.readLong(in);
        a.lastSnapshotFingerprint = in.readInt();
        a.lastSnapshotScore = readNullableDouble(in);
        return a;
    }

    private void writeSubscription(DataOutputView out, SubscriptionState s) throws IOException {
        Utf8Strings.write(out, s.subscriptionId);
        Utf8Strings.write(out, s.planId);
        intervals.write(out, s.billingInterval);
        VarInts.writeLong(out, s.amountMinor);
        Utf8Strings.write(out, s.currency);
        VarInts.writeInt(out, s.quantity);
        writeLongMap(out, s.addOns);
        writeLongMap(out, s.limits);
        VarInts.writeLong(out, s.mrrReportingMinor);
        out.writeBoolean(s.active);
        VarInts.writeLong(out, s.startDate);
        VarInts.writeLong(out, s.renewalDate);
        VarInts.writeLong(out, s.cancelAt);
        Utf8Strings.write(out, s.cancelEventId);
        VarInts.writeLong(out, s.lastChangeAt);
    }

    private SubscriptionState readSubscription(DataInputView in) throws IOException {
        SubscriptionState s = new SubscriptionState();
        s.subscriptionId = Utf8Strings.read(in);
        s.planId = Utf8Strings.readName(in);
        s.billingInterval = intervals.read(in);
        s.amountMinor = VarInts.readLong(in);
        s.currency = Utf8Strings.readName(in);
        s.quantity = VarInts.readInt(in);
        s.addOns = readLongMap(in);
        s.limits = readLongMap(in);
        s.mrrReportingMinor = VarInts.readLong(in);
        s.active = in.readBoolean();
        s.startDate = VarInts.readLong(in);
        s.renewalDate = VarInts.readLong(in);
        s.cancelAt = VarInts.readLong(in);
        s.cancelEventId = Utf8Strings.read(in);
        s.lastChangeAt = VarInts.readLong(in);
        return s;
    }

    private void writeMetric(DataOutputView out, MetricState m) throws IOException {
        kinds.write(out, m.kind);
        VarInts.writeLong(out, m.periodStart);
        VarInts.writeLong(out, m.usage);
        VarInts.writeLong(out, m.previousPeriodUsage);
        VarInts.writeLong(out, m.lastReadingAt);
        VarInts.writeLong(out, m.lastLimit);
        VarInts.writeInt(out, m.limitChanges);
        writeLongMap(out, m.firedInPeriod);
        writeStrings(out, m.disarmed);
        VarInts.writeLong(out, m.forecastFiredPeriod);
        writeLongs(out, m.gaugeTimes);
        writeLongs(out, m.gaugeValues);
    }

    private MetricState readMetric(DataInputView in) throws IOException {
        MetricState m = new MetricState();
        m.kind = kinds.read(in);
        m.periodStart = VarInts.readLong(in);
        m.usage = VarInts.readLong(in);
        m.previousPeriodUsage = VarInts.readLong(in);
        m.lastReadingAt = VarInts.readLong(in);
        m.lastLimit = VarInts.readLong(in);
        m.limitChanges = VarInts.readInt(in);
        m.firedInPeriod = readLongMap(in);
        m.disarmed = readStrings(in, Utf8Strings::readName);
        m.forecastFiredPeriod = VarInts.readLong(in);
        m.gaugeTimes = readLongs(in);
        m.gaugeValues = readLongs(in);
        return m;
    }

    /**
     * The de-duplication arrays: their capacity, then only the ids in use. The capacity is kept
     * because {@code RecentEventIds} forgets expired ids when the arrays are full, so a restored
     * account must fill up exactly when the running one would have.
     */
    private static void writeSeenIds(DataOutputView out, AccountState a) throws IOException {
        long[] hashes = a.seenIdHashes == null ? EmptyArrays.LONGS : a.seenIdHashes;
        long[] times = a.seenIdTimes == null ? EmptyArrays.LONGS : a.seenIdTimes;
        if (hashes.length != times.length || a.seenIdCount > hashes.length) {
            throw new IllegalStateException("account " + a.accountId + ": " + a.seenIdCount + " event ids in arrays of "
                    + hashes.length + " and " + times.length);
        }
        VarInts.writeInt(out, hashes.length);
        VarInts.writeInt(out, a.seenIdCount);
        for (int i = 0; i < a.seenIdCount; i++) {
            out.writeLong(hashes[i]); // hashes are uniformly spread: a varint would be longer
        }
        VarInts.writeDeltas(out, times, a.seenIdCount);
    }

    private static void readSeenIds(DataInputView in, AccountState a) throws IOException {
        int capacity = VarInts.readSize(in);
        int count = VarInts.readSize(in);
        if (count > capacity) {
            throw new IOException("malformed account state: " + count + " event ids in arrays of " + capacity);
        }
        long[] hashes = capacity == 0 ? EmptyArrays.LONGS : new long[capacity];
        for (int i = 0; i < count; i++) {
            hashes[i] = in.readLong();
        }
        a.seenIdHashes = hashes;
        a.seenIdTimes = VarInts.readDeltas(in, count, capacity);
        a.seenIdCount = count;
    }

    private static int size(Map<?, ?> map) {
        return map == null ? 0 : map.size();
    }

    private static void writeLongs(DataOutputView out, long[] values) throws IOException {
        int n = values == null ? 0 : values.length;
        VarInts.writeInt(out, n);
        VarInts.writeDeltas(out, values, n);
    }

    private static long[] readLongs(DataInputView in) throws IOException {
        int n = VarInts.readSize(in);
        return VarInts.readDeltas(in, n, n);
    }

    private static void writeStrings(DataOutputView out, List<String> list) throws IOException {
        VarInts.writeInt(out, list == null ? 0 : list.size());
        if (list != null) {
            for (String s : list) {
                Utf8Strings.write(out, s);
            }
        }
    }

    private static List<String> readStrings(DataInputView in, ValueReader<String> strings) throws IOException {
        int n = VarInts.readSize(in);
        List<String> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            list.add(strings.read(in));
        }
        return list;
    }

    private static void writeLongMap(DataOutputView out, Map<String, Long> map) throws IOException {
        if (map instanceof NameLongMap names) { // the same bytes, from its arrays: no entries made, no values unboxed
            int n = names.size();
            VarInts.writeInt(out, n);
            for (int i = 0; i < n; i++) {
                Utf8Strings.write(out, names.keyAt(i));
                VarInts.writeLong(out, names.valueAt(i));
            }
            return;
        }
        writeMap(out, map, (o, k, v) -> VarInts.writeLong(o, notNull(v, "map", k)));
    }

    /** A map keyed by names (metrics, features, levels, signal types, add-ons). */
    private static Map<String, Long> readLongMap(DataInputView in) throws IOException {
        int n = VarInts.readSize(in);
        NameLongMap map = new NameLongMap(n);
        for (int i = 0; i < n; i++) {
            String key = Utf8Strings.readName(in);
            map.put(key, VarInts.readLong(in));
        }
        return map;
    }

    /** Writes one map value; gets the key for the error message of a value that must not be null. */
    @FunctionalInterface
    private interface ValueWriter<V> {
        void write(DataOutputView out, String key, V value) throws IOException;
    }

    @FunctionalInterface
    private interface ValueReader<V> {
        V read(DataInputView in) throws IOException;
    }

    /** Every map of the state: its size, then each key and its value (a null map as empty). */
    private static <V> void writeMap(DataOutputView out, Map<String, V> map, ValueWriter<V> values) throws IOException {
        int n = size(map);
        VarInts.writeInt(out, n);
        if (map instanceof NameMap<V> names) { // the same bytes, from its arrays: no entries made
            for (int i = 0; i < n; i++) {
                String key = names.keyAt(i);
                Utf8Strings.write(out, key);
                values.write(out, key, names.valueAt(i));
            }
            return;
        }
        if (n > 0) { // an empty map's iterator would still scan its table, a cache miss at the barrier
            for (Map.Entry<String, V> e : map.entrySet()) {
                Utf8Strings.write(out, e.getKey());
                values.write(out, e.getKey(), e.getValue());
            }
        }
    }

    /** Reads what {@link #writeMap} wrote, as two arrays (change 43; a HashMap before). */
    private static <V> Map<String, V> readMap(DataInputView in, ValueReader<String> keys, ValueReader<V> values)
            throws IOException {
        int n = VarInts.readSize(in);
        Map<String, V> map = new NameMap<>(n);
        for (int i = 0; i < n; i++) {
            String key = keys.read(in);
            map.put(key, values.read(in));
        }
        return map;
    }

    private static void writeLongList(DataOutputView out, List<Long> list) throws IOException {
        int n = list == null ? 0 : list.size();
        VarInts.writeInt(out, n);
        long previous = 0;
        for (int i = 0; i < n; i++) {
            long v = notNull(list.get(i), "list", i);
            VarInts.writeLong(out, v - previous);
            previous = v;
        }
    }

    private static List<Long> readLongList(DataInputView in) throws IOException {
        int n = VarInts.readSize(in);
        List<Long> list = new ArrayList<>(n);
        long previous = 0;
        for (int i = 0; i < n; i++) {
            previous += VarInts.readLong(in);
            list.add(previous);
        }
        return list;
    }

    private static void writeNullableDouble(DataOutputView out, Double v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeDouble(v);
        }
    }

    private static Double readNullableDouble(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    private static <V> V notNull(V v, String where, Object key) {
        if (v == null) {
            throw new IllegalStateException("account state: null value under " + key + " in " + where);
        }
        return v;
    }

    @Override
    public AccountState deserialize(AccountState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    /** A deep copy through the encoding: one code path to keep right, and as fast as a field-by-field copy here. */
    @Override
    public AccountState copy(AccountState from) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(1024);
            serialize(from, out);
            return deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (IOException e) {
            throw new IllegalStateException("copying account " + from.accountId, e);
        }
    }

    @Override
    public AccountState copy(AccountState from, AccountState reuse) {
        return copy(from);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    /** Stateless (the enum tables are immutable): one instance can serve every thread. */
    @Override
    public TypeSerializer<AccountState> duplicate() {
        return this;
    }

    @Override
    public AccountState createInstance() {
        return new AccountState();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public TypeSerializerSnapshot<AccountState> snapshotConfiguration() {
        return new AccountStateSerializerSnapshot(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccountStateSerializer s && enumTables().equals(s.enumTables());
    }

    @Override
    public int hashCode() {
        return Objects.hash(enumTables());
    }
}
