package io.expansionsignals.workload;

import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.UsageEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;

/**
 * Breaks records on purpose, one {@link MalformedKind} at a time, starting from a real event of
 * the account so the broken record looks like what a buggy producer would send.
 */
final class Malformer {
    /**
     * Schema id written into {@link MalformedKind#TRUNCATED_AVRO} records. The generator does not
     * know the registry's id for the writer schema; a sink that does (KafkaWorkloadSink) writes
     * it in, so the job fetches the right schema and fails on the missing bytes, not on the id.
     */
    static final int WRITER_SCHEMA_PLACEHOLDER_ID = 0;
    /** 2100-01-01: far beyond any clock skew the job tolerates. */
    private static final Instant FAR_FUTURE = Instant.parse("2100-01-01T00:00:00Z");
    private static final MalformedKind[] KINDS = MalformedKind.values();

    private final SplittableRandom rng;
    private final EventFactory events;

    Malformer(SplittableRandom rng, EventFactory events) {
        this.rng = rng;
        this.events = events;
    }

    /** Sends one malformed record derived from {@code good} (which was already sent). */
    void emit(Pending good, WorkloadSink sink) {
        MalformedKind kind = KINDS[rng.nextInt(KINDS.length)];
        SimAccount a = good.account();
        String key = a.accountId;
        String tagged = kind.tag(events.nextId());
        switch (kind) {
            case GARBAGE_BYTES -> {
                byte[] bytes = new byte[rng.nextInt(1, 64)];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) rng.nextInt(256);
                }
                bytes[0] = (byte) rng.nextInt(1, 256); // never the magic byte 0: not wire format
                sink.raw(good.topic().kind(), key, bytes, kind);
            }
            case UNKNOWN_SCHEMA_ID -> sink.raw(good.topic().kind(), key,
                    AvroBytes.framed(withId(good.record(), tagged), MalformedKind.UNKNOWN_SCHEMA_ID_VALUE), kind);
            case TRUNCATED_AVRO -> {
                byte[] full = AvroBytes.framed(withId(good.record(), tagged), WRITER_SCHEMA_PLACEHOLDER_ID);
                int body = full.length - 5;
                // Keep at most half of the body: the decoder always runs out of bytes.
                sink.raw(good.topic().kind(), key, Arrays.copyOf(full, 5 + rng.nextInt(1, body / 2 + 1)), kind);
            }
            case NEGATIVE_AMOUNT -> sink.subscription(subscription(a, good.at(), tagged)
                    .setAmountMinor(-rng.nextLong(1, 100_000)).build());
            case UNKNOWN_CURRENCY -> sink.subscription(subscription(a, good.at(), tagged).setCurrency("XXX").build());
            case UNKNOWN_PLAN -> sink.subscription(subscription(a, good.at(), tagged).setPlanId("platinum-legacy").build());
            case FAR_FUTURE -> farFuture(good.record(), tagged, sink);
            case NEGATIVE_QUANTITY -> {
                if (good.record() instanceof UsageEvent u) {
                    sink.usage(UsageEvent.newBuilder(u).setEventId(tagged).setQuantity(-rng.nextLong(1, 1000)).build());
                } else {
                    sink.subscription(subscription(a, good.at(), tagged).setQuantity(-rng.nextInt(1, 50)).build());
                }
            }
        }
    }

    private SubscriptionEvent.Builder subscription(SimAccount a, Instant at, String id) {
        return events.subscription(a, SubscriptionEventType.QUANTITY_CHANGED, at).setEventId(id);
    }

    private void farFuture(SpecificRecord r, String id, WorkloadSink sink) {
        Instant at = FAR_FUTURE.plusSeconds(rng.nextLong(86_400L * 365));
        if (r instanceof SubscriptionEvent e) {
            sink.subscription(SubscriptionEvent.newBuilder(e).setEventId(id).setOccurredAt(at).build());
        } else if (r instanceof UsageEvent e) {
            sink.usage(UsageEvent.newBuilder(e).setEventId(id).setOccurredAt(at).build());
        } else {
            sink.engagement(EngagementEvent.newBuilder((EngagementEvent) r).setEventId(id).setOccurredAt(at).build());
        }
    }

    private static SpecificRecord withId(SpecificRecord r, String id) {
        if (r instanceof SubscriptionEvent e) {
            return SubscriptionEvent.newBuilder(e).setEventId(id).build();
        }
        if (r instanceof UsageEvent e) {
            return UsageEvent.newBuilder(e).setEventId(id).build();
        }
        return EngagementEvent.newBuilder((EngagementEvent) r).setEventId(id).build();
    }
}
