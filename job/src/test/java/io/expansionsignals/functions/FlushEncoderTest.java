package io.expansionsignals.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.state.AccountStateSerializer;
import io.expansionsignals.testutils.Catalogs;
import io.expansionsignals.testutils.Events;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class FlushEncoderTest {
    private static final AccountEngine ENGINE =
            new AccountEngine(EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build());

    @Test
    void theHelpersEncodeEveryAccountAsTheTaskWouldAndTheBytesGoWithTheFlush() throws Exception {
        List<AccountState> accounts = accounts(3_000);
        try (FlushEncoder encoder = new FlushEncoder(2, 1_024, "test-encoder")) {
            assertThat(encoder.worthIt(1_023)).isFalse();
            assertThat(encoder.worthIt(1_024)).isTrue();
            FlushEncoder.Batch batch = encoder.start(accounts);
            // Let the helpers alone do it all, so the caller's share below is empty and only theirs is checked.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (accounts.stream().anyMatch(a -> a.encodedAhead == null)) {
                assertThat(System.nanoTime()).as("helpers finished within 30 s").isLessThan(deadline);
                Thread.sleep(5);
            }
            batch.finish(new AccountStateSerializer());
            for (AccountState a : accounts) {
                byte[] ahead = a.encodedAhead;
                a.encodedAhead = null;
                assertThat(ahead).as(a.accountId).isEqualTo(encode(a));
                a.encodedAhead = ahead;
            }
            batch.clear();
            assertThat(accounts).allMatch(a -> a.encodedAhead == null);
        }
    }

    @Test
    void theSerializerWritesBytesEncodedAheadAsTheyAre() throws IOException {
        AccountState a = accounts(1).get(0);
        a.encodedAhead = new byte[] {1, 2, 3};
        assertThat(encode(a)).containsExactly(1, 2, 3);
    }

    @Test
    void aFailedShareFailsTheFlushOnlyAfterEveryHelperStopped() throws Exception {
        List<AccountState> accounts = accounts(2_000);
        accounts.get(1_500).metrics.put("broken", null); // the serializer cannot walk it
        try (FlushEncoder encoder = new FlushEncoder(1, 1_024, "test-encoder")) {
            FlushEncoder.Batch batch = encoder.start(accounts);
            assertThatThrownBy(() -> batch.finish(new AccountStateSerializer()))
                    .isInstanceOf(IOException.class).hasMessageContaining("encoding accounts for the flush failed");
            batch.clear();
            Thread.sleep(50); // a helper still running would set bytes again after the clear
            assertThat(accounts).allMatch(a -> a.encodedAhead == null);
        }
    }

    private static List<AccountState> accounts(int n) {
        List<AccountState> accounts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "acct-" + i;
            AccountState a = AccountEngine.newAccount(id);
            ENGINE.onSubscription(a, Events.created(id, Events.day(0), 10_000 + i, Map.of("api_calls", 100L)), 0);
            ENGINE.onUsage(a, Events.delta(id, "api_calls", i % 120, Events.day(1)), 0);
            accounts.add(a);
        }
        return accounts;
    }

    private static byte[] encode(AccountState a) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(512);
        new AccountStateSerializer().serialize(a, out);
        return out.getCopyOfBuffer();
    }
}
