package io.expansionsignals.workload;

import io.expansionsignals.schema.DeadLetterReason;
import java.util.Optional;

/**
 * The ways the workload breaks records on purpose (SPEC §6), each with the dead-letter reason the
 * job must give it. Decodable kinds are real Avro records whose eventId ends in
 * {@code -x-<kind>}, so a test or a person reading dead letters can tell which fault it was.
 */
public enum MalformedKind {
    /** Bytes that are not the Confluent wire format at all. */
    GARBAGE_BYTES(false, DeadLetterReason.UNDECODABLE),
    /** A valid header whose schema id the registry does not know. */
    UNKNOWN_SCHEMA_ID(false, DeadLetterReason.UNKNOWN_SCHEMA_ID),
    /** A valid header and the first part of a valid Avro body. */
    TRUNCATED_AVRO(false, DeadLetterReason.UNDECODABLE),
    NEGATIVE_AMOUNT(true, DeadLetterReason.INVALID_VALUE),
    UNKNOWN_CURRENCY(true, DeadLetterReason.UNKNOWN_CURRENCY),
    UNKNOWN_PLAN(true, DeadLetterReason.UNKNOWN_PLAN),
    FAR_FUTURE(true, DeadLetterReason.FUTURE_TIMESTAMP),
    /** Negative seats on a subscription, or a negative usage quantity. */
    NEGATIVE_QUANTITY(true, DeadLetterReason.INVALID_VALUE);

    /** A schema id no registry in this project hands out. */
    public static final int UNKNOWN_SCHEMA_ID_VALUE = 999_999;
    private static final String MARKER = "-x-";

    private final boolean decodable;
    private final DeadLetterReason expectedReason;

    MalformedKind(boolean decodable, DeadLetterReason expectedReason) {
        this.decodable = decodable;
        this.expectedReason = expectedReason;
    }

    /** True when the record is valid Avro and reaches the sink typed (it fails validation only). */
    public boolean decodable() {
        return decodable;
    }

    public DeadLetterReason expectedReason() {
        return expectedReason;
    }

    /** The eventId of a decodable malformed record built from a fresh id. */
    public String tag(String eventId) {
        return eventId + MARKER + name().toLowerCase().replace('_', '-');
    }

    /** Which malformed kind an eventId was tagged with, if any. */
    public static Optional<MalformedKind> fromEventId(String eventId) {
        int i = eventId == null ? -1 : eventId.lastIndexOf(MARKER);
        if (i < 0) {
            return Optional.empty();
        }
        String name = eventId.substring(i + MARKER.length()).toUpperCase().replace('-', '_');
        for (MalformedKind k : values()) {
            if (k.name().equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
