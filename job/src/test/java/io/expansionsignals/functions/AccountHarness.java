package io.expansionsignals.functions;

import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.internal.DecodedRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.AbstractUdfStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/** The account operator under Flink's keyed-broadcast test harness (one subtask), and what tests do with it. */
final class AccountHarness {
    private AccountHarness() {}

    /** Not yet opened, so a test can restore state first; de-duplication window 7 days, churned accounts remembered 400. */
    static KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> create(EngineSettings settings)
            throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new AccountProcessor(settings, Duration.ofDays(7), Duration.ofDays(400)),
                        List.of(CatalogState.DESCRIPTOR)),
                AccountEvents::accountId, Types.STRING, 1, 1, 0);
        h.setProcessingTime(1_000);
        return h;
    }

    /**
     * The product's operator ({@link AccountOperator}: account writes and health snapshots held
     * until the barrier), not yet opened, processing time 1,000.
     */
    static KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> createBuffered(
            EngineSettings settings) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(
                new AccountOperator(new AccountProcessor(settings, Duration.ofDays(7), Duration.ofDays(400))),
                AccountEvents::accountId, Types.STRING, 1, 1, 0);
        h.setProcessingTime(1_000);
        return h;
    }

    /** An input event (subscription, usage or engagement) with its event time as the record's timestamp. */
    static void send(KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> h, Object event,
            Instant at) throws Exception {
        h.processElement(new StreamRecord<>(AccountEvents.wrap(event), at.toEpochMilli()));
    }

    static AccountProcessor processor(KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> h) {
        return (AccountProcessor) ((AbstractUdfStreamOperator<?, ?>) h.getOperator()).getUserFunction();
    }
}
