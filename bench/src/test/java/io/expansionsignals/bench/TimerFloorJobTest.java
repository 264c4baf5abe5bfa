package io.expansionsignals.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.expansionsignals.schema.EngagementType;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.testutils.Events;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class TimerFloorJobTest {
    private static final Instant AT = Instant.parse("2026-01-05T10:15:30.123Z");
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long TOMORROW = System.currentTimeMillis() + DAY;

    @Test
    void readsOccurredAtFromEachInputSchemaWithoutDecoding() throws Exception {
        List<SpecificRecord> events = List.of(
                Events.created("acct-1", AT, 9_900, Map.of()),
                Events.delta("acct-with-a-longer-id-" + "x".repeat(200), "api_calls", 5, AT),
                Events.engagement("acct-1", EngagementType.FEATURE_USED, AT).build());
        for (SpecificRecord e : events) {
            assertEquals(AT.toEpochMilli(), TimerFloorJob.occurredAt(framed(e), TOMORROW), e.getSchema().getName());
        }
    }

    @Test
    void aRecordThatIsNotAnInputEventHasNoTime() throws Exception {
        byte[] good = framed(Events.subscription("acct-1", SubscriptionEventType.CREATED, AT).build());
        byte[] wrongMagic = good.clone();
        wrongMagic[0] = 1;
        assertEquals(Long.MIN_VALUE, TimerFloorJob.occurredAt(wrongMagic, TOMORROW));
        assertEquals(Long.MIN_VALUE, TimerFloorJob.occurredAt(Arrays.copyOf(good, 12), TOMORROW)); // truncated
        assertEquals(Long.MIN_VALUE, TimerFloorJob.occurredAt(new byte[] {0, 0, 0, 0, 1, (byte) 0xff}, TOMORROW));
        assertEquals(Long.MIN_VALUE, TimerFloorJob.occurredAt(null, TOMORROW));
        byte[] future = framed(Events.delta("acct-1", "api_calls", 1, Instant.now().plus(Duration.ofDays(3))));
        assertEquals(Long.MIN_VALUE, TimerFloorJob.occurredAt(future, TOMORROW));
    }

    @Test
    void anAccountsThreeTimersFireInTurnFromItsFirstEvent() throws Exception {
        try (var harness = harness()) {
            long t0 = AT.toEpochMilli();
            harness.processElement(new StreamRecord<>(Tuple2.of("a", new byte[0]), t0));
            harness.processElement(new StreamRecord<>(Tuple2.of("a", new byte[0]), t0 + 5 * DAY)); // no second chain
            harness.processElement(new StreamRecord<>(Tuple2.of("b", new byte[0]), t0 + DAY));
            harness.processWatermark(t0 + 100 * DAY);
            assertEquals(List.of("a@" + (t0 + 30 * DAY), "b@" + (t0 + 31 * DAY), "a@" + (t0 + 90 * DAY),
                    "b@" + (t0 + 91 * DAY)), harness.extractOutputValues());
            harness.processWatermark(t0 + 400 * DAY);
            List<String> all = harness.extractOutputValues();
            assertEquals(List.of("a@" + (t0 + 180 * DAY), "b@" + (t0 + 181 * DAY)), all.subList(4, all.size()));
            assertEquals(0, harness.numEventTimeTimers()); // the third is the last
        }
    }

    @Test
    void aRecordWithoutATimeSchedulesNothing() throws Exception {
        try (var harness = harness()) {
            harness.processElement(new StreamRecord<>(Tuple2.of("a", new byte[0]), Long.MIN_VALUE));
            assertEquals(0, harness.numEventTimeTimers());
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, Tuple2<String, byte[]>, String> harness() throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new TimerFloorJob.MilestonesPerAccount()), (Tuple2<String, byte[]> t) -> t.f0,
                Types.STRING);
        harness.open();
        return harness;
    }

    /** The Confluent wire format: magic 0, a 4-byte schema id, the Avro body. */
    @SuppressWarnings("unchecked")
    private static byte[] framed(SpecificRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0, 0, 0, 0, 7});
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecord>(record.getSchema(), SpecificData.getForClass(record.getClass()))
                .write(record, encoder);
        return out.toByteArray();
    }
}
