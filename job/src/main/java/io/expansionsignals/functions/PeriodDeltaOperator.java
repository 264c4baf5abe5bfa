package io.expansionsignals.functions;

import io.expansionsignals.domain.PeriodDelta;
import io.expansionsignals.domain.UsagePeriod;
import io.expansionsignals.schema.MrrMovement;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Sums the account engine's MRR movements per segment (and under {@link PortfolioMetricsFunction#ALL})
 * and period, and sends the sums on at each watermark, before each checkpoint barrier and at the
 * end of the input: the local half of a local-global aggregation. Each movement used to cross to
 * the portfolio task twice (under its segment and under ALL) and cost a read and a write of that
 * task's state there; now a few sums per watermark do (docs/performance-history.md, change 37).
 *
 * <p>Nothing is held across a watermark, so a movement reaches the portfolio metrics on the same
 * side of every watermark as before and closes (or corrects) the same period; nothing is held
 * across a barrier, so the operator has no state.
 */
public final class PeriodDeltaOperator extends AbstractStreamOperator<PeriodDelta>
        implements OneInputStreamOperator<MrrMovement, PeriodDelta> {
    private static final long serialVersionUID = 1L;

    private final UsagePeriod period;
    private transient Map<Key, PeriodDelta> open;

    private record Key(String segment, long periodStart) {}

    public PeriodDeltaOperator(UsagePeriod period) {
        this.period = period;
    }

    @Override
    public void open() throws Exception {
        super.open();
        open = new HashMap<>();
    }

    @Override
    public void processElement(StreamRecord<MrrMovement> record) {
        MrrMovement m = record.getValue();
        long at = m.getOccurredAt().toEpochMilli();
        long p = period.startOf(at);
        add(PortfolioMetricsFunction.ALL, p, m, at);
        if (m.getSegment() != null) {
            add(m.getSegment().name(), p, m, at);
        }
    }

    private void add(String segment, long p, MrrMovement m, long at) {
        open.computeIfAbsent(new Key(segment, p), k -> PeriodDelta.of(segment, p))
                .add(m.getType(), m.getDeltaMinor(), m.getAccountId(), at);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush(); // every movement before this watermark stays before it
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush(); // nothing held across a barrier: no state to snapshot
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void flush() {
        if (open.isEmpty()) {
            return;
        }
        for (PeriodDelta d : open.values()) {
            output.collect(new StreamRecord<>(d.seal(), d.newestAt));
        }
        open.clear();
    }

    /** Sums not sent on yet, for tests. */
    int held() {
        return open.size();
    }
}
