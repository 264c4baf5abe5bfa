package io.expansionsignals.functions;

import io.expansionsignals.io.shuffle.PlannedAvroTypeInfo;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.internal.DecodedRecord;
import java.util.function.Function;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Reads the common envelope fields of a decoded input, whatever its type. */
public final class AccountEvents {
    /** How a decoded input travels between tasks, from its source to the account engine. */
    public static final TypeInformation<DecodedRecord> TYPE = new PlannedAvroTypeInfo<>(DecodedRecord.class);

    private AccountEvents() {}

    public static String accountId(DecodedRecord r) {
        return pick(r, SubscriptionEvent::getAccountId, UsageEvent::getAccountId, EngagementEvent::getAccountId, null, true);
    }

    public static String eventId(DecodedRecord r) {
        return pick(r, SubscriptionEvent::getEventId, UsageEvent::getEventId, EngagementEvent::getEventId, null, true);
    }

    /** Event time of an input; a dead letter has none, so it never moves the watermark. */
    public static long eventTime(DecodedRecord r) {
        return pick(r, e -> e.getOccurredAt().toEpochMilli(), e -> e.getOccurredAt().toEpochMilli(),
                e -> e.getOccurredAt().toEpochMilli(), Long.MIN_VALUE, false);
    }

    /** One field of whichever input event the record carries; {@code otherwise} for a dead letter. */
    private static <V> V pick(DecodedRecord r, Function<SubscriptionEvent, V> subscription, Function<UsageEvent, V> usage,
            Function<EngagementEvent, V> engagement, V otherwise, boolean eventRequired) {
        Object p = r.getPayload();
        if (p instanceof SubscriptionEvent e) {
            return subscription.apply(e);
        }
        if (p instanceof UsageEvent e) {
            return usage.apply(e);
        }
        if (p instanceof EngagementEvent e) {
            return engagement.apply(e);
        }
        if (eventRequired) {
            throw new IllegalArgumentException("not an account event: " + p.getClass().getSimpleName());
        }
        return otherwise;
    }

    public static boolean isDeadLetter(DecodedRecord r) {
        return r.getPayload() instanceof DeadLetter;
    }

    public static DecodedRecord wrap(Object payload) {
        return DecodedRecord.newBuilder().setPayload(payload).build();
    }
}
