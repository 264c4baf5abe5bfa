package io.expansionsignals.functions;

import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.DeadLetterReason;
import io.expansionsignals.schema.internal.SourceOrigin;
import java.time.Instant;

/** Dead letters raised after decoding (catalog checks, catalog updates), from the record's origin. */
public final class DeadLetters {
    private DeadLetters() {}

    public static DeadLetter of(SourceOrigin origin, DeadLetterReason reason, String detail, long now) {
        DeadLetter.Builder b = DeadLetter.newBuilder().setReason(reason).setDetail(detail).setFailedAt(Instant.ofEpochMilli(now));
        if (origin == null) {
            return b.setSourceTopic("unknown").setPartition(-1).setOffset(-1).build();
        }
        return b.setSourceTopic(origin.getTopic()).setPartition(origin.getPartition()).setOffset(origin.getOffset())
                .setKey(origin.getKey()).setValue(origin.getValue()).build();
    }
}
