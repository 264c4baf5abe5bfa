package io.expansionsignals.functions;

import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.internal.DecodedRecord;

/** Reads the common envelope fields of a decoded input, whatever its type. */
public final class AccountEvents {
    private AccountEvents() {}

    public static String accountId(DecodedRecord r) {
        Object p = r.getPayload();
        if (p instanceof SubscriptionEvent e) {
            return e.getAccountId();
        }
        if (p instanceof UsageEvent e) {
            return e.getAccountId();
        }
        if (p instanceof EngagementEvent e) {
            return e.getAccountId();
        }
        throw new IllegalArgumentException("not an account event: " + p.getClass().getSimpleName());
    }

    public static String eventId(DecodedRecord r) {
        Object p = r.getPayload();
        if (p instanceof SubscriptionEvent e) {
            return e.getEventId();
        }
        if (p instanceof UsageEvent e) {
            return e.getEventId();
        }
        if (p instanceof EngagementEvent e) {
            return e.getEventId();
        }
        throw new IllegalArgumentException("not an account event: " + p.getClass().getSimpleName());
    }

    /** Event time of an input; a dead letter has none, so it never moves the watermark. */
    public static long eventTime(DecodedRecord r) {
        Object p = r.getPayload();
        if (p instanceof SubscriptionEvent e) {
            return e.getOccurredAt().toEpochMilli();
        }
        if (p instanceof UsageEvent e) {
            return e.getOccurredAt().toEpochMilli();
        }
        if (p instanceof EngagementEvent e) {
            return e.getOccurredAt().toEpochMilli();
        }
        return Long.MIN_VALUE;
    }

    public static boolean isDeadLetter(DecodedRecord r) {
        return r.getPayload() instanceof DeadLetter;
    }

    public static DecodedRecord wrap(Object payload) {
        return DecodedRecord.newBuilder().setPayload(payload).build();
    }
}
