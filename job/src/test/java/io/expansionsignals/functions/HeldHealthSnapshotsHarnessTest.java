package io.expansionsignals.functions;

import static io.expansionsignals.functions.AccountHarness.send;
import static io.expansionsignals.testutils.Events.created;
import static io.expansionsignals.testutils.Events.day;
import static io.expansionsignals.testutils.Events.delta;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.schema.AccountHealth;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.internal.DecodedRecord;
import io.expansionsignals.testutils.Catalogs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The product's operator holds account-health snapshots: only each account's newest is written,
 * at the barrier, at the end of the input, or once the account has been quiet for the maximum
 * hold.
 */
class HeldHealthSnapshotsHarnessTest {
    private static final EngineSettings SETTINGS = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard())
            .snapshotBufferSize(100).snapshotMaxHold(Duration.ofMillis(1_000)).build();
    private static final Map<String, Long> LIMITS = Map.of("api_calls", 1_000L);
    private KeyedBroadcastOperatorTestHarness<String, DecodedRecord, DecodedRecord, ExpansionSignal> harness;

    @BeforeEach
    void setUp() throws Exception {
        harness = AccountHarness.createBuffered(SETTINGS); // processing time 1,000
        harness.open();
    }

    private boolean closed;

    @AfterEach
    void tearDown() throws Exception {
        if (!closed) {
            harness.close();
        }
    }

    /** "account utilisation" per written snapshot, in the order written. */
    private List<String> written() {
        var out = harness.getSideOutput(OutputTags.HEALTH);
        return out == null ? List.of() : out.stream().map(StreamRecord::getValue)
                .map(s -> s.getAccountId() + " " + utilisation(s)).toList();
    }

    private static String utilisation(AccountHealth s) {
        return String.valueOf(s.getUtilisation().getOrDefault("api_calls", 0.0));
    }

    @Test
    void onlyEachAccountsNewestSnapshotIsWrittenAtTheBarrier() throws Exception {
        send(harness, created("acme", day(0), 10_000, LIMITS), day(0));
        send(harness, delta("acme", "api_calls", 500, day(1)), day(1));
        send(harness, delta("acme", "api_calls", 300, day(2)), day(2));
        send(harness, created("globex", day(0), 10_000, LIMITS), day(0));
        assertThat(written()).as("held, nothing written before the barrier").isEmpty();

        harness.prepareSnapshotPreBarrier(1);
        assertThat(written()).containsExactly("acme 0.8", "globex 0.0");
        assertThat(AccountHarness.processor(harness).heldSnapshots()).isZero();
    }

    @Test
    void anAccountQuietForTheMaximumHoldIsWrittenWithoutABarrier() throws Exception {
        send(harness, created("acme", day(0), 10_000, LIMITS), day(0)); // at 1,000
        harness.setProcessingTime(1_600);
        send(harness, created("globex", day(0), 10_000, LIMITS), day(0)); // at 1,600
        harness.setProcessingTime(1_900);
        assertThat(written()).isEmpty();

        harness.setProcessingTime(2_000); // acme quiet for 1 s
        assertThat(written()).containsExactly("acme 0.0");

        send(harness, delta("globex", "api_calls", 900, day(1)), day(1)); // at 2,000: globex changed again
        harness.setProcessingTime(2_900);
        assertThat(written()).containsExactly("acme 0.0");
        harness.setProcessingTime(3_000);
        assertThat(written()).containsExactly("acme 0.0", "globex 0.9");
    }

    @Test
    void theEndOfABoundedInputWritesWhatIsHeld() throws Exception {
        send(harness, created("acme", day(0), 10_000, LIMITS), day(0));
        send(harness, delta("acme", "api_calls", 200, day(1)), day(1));
        harness.close(); // finish(), as at the end of a bounded input
        closed = true;
        assertThat(written()).containsExactly("acme 0.2");
    }
}
