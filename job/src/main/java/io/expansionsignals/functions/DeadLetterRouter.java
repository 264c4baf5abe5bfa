package io.expansionsignals.functions;

import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.internal.DecodedRecord;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Sends records that failed decoding or validation to the dead-letter side output, counted by reason. */
public class DeadLetterRouter extends ProcessFunction<DecodedRecord, DecodedRecord> {
    private static final long serialVersionUID = 1L;

    private transient MetricGroup group;
    private transient Map<String, Counter> byReason;

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
        group = getRuntimeContext().getMetricGroup().addGroup("expansion_signals");
        byReason = new HashMap<>();
    }

    @Override
    public void processElement(DecodedRecord record, Context ctx, Collector<DecodedRecord> out) {
        if (record.getPayload() instanceof DeadLetter dl) {
            byReason.computeIfAbsent(dl.getReason().name(), r -> group.addGroup("reason", r).counter("dead_letters")).inc();
            ctx.output(OutputTags.DEAD_LETTERS, dl);
        } else {
            out.collect(record);
        }
    }
}
