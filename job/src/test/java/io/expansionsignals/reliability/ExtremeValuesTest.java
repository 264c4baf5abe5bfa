package io.expansionsignals.reliability;

import static io.expansionsignals.testutils.Events.created;
import static io.expansionsignals.testutils.Events.day;
import static io.expansionsignals.testutils.Events.delta;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.domain.InputValidator;
import io.expansionsignals.domain.Violation;
import io.expansionsignals.schema.DeadLetterReason;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.testutils.Catalogs;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Found by {@link HostileInputFuzzTest}: a DELTA usage of Long.MAX_VALUE passed validation and made
 * {@code Math.addExact} throw in the engine, for that record and for every later usage of the
 * metric in the period. In Flink a throwing record fails the task and is replayed after the
 * restart: a poison pill that stops the job. An amount near Long.MAX_VALUE in EUR overflowed FX
 * conversion the same way.
 */
class ExtremeValuesTest {
    private static final EngineSettings SETTINGS = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build();
    private final InputValidator validator = new InputValidator(SETTINGS);
    private final long now = day(400).toEpochMilli();

    @Test
    void implausiblyLargeQuantitiesAmountsAndSeatsAreDeadLettered() {
        assertInvalid(validator.check(delta("acme", "api_calls", Long.MAX_VALUE, day(1)), now));
        assertThat(validator.check(delta("acme", "api_calls", 1_000_000_000_000_000L, day(1)), now)).isEmpty();
        SubscriptionEvent ok = created("acme", day(0), 10_000, Map.of());
        assertThat(validator.check(ok, now)).isEmpty();
        assertInvalid(validator.check(SubscriptionEvent.newBuilder(ok).setAmountMinor(Long.MAX_VALUE).setCurrency("EUR").build(), now));
        assertInvalid(validator.check(SubscriptionEvent.newBuilder(ok).setQuantity(Integer.MAX_VALUE).build(), now));
    }

    @Test
    void theEngineNeverThrowsOnUsageSumsBeyondLongRange() {
        AccountEngine engine = new AccountEngine(SETTINGS);
        AccountState a = AccountEngine.newAccount("acme");
        engine.onSubscription(a, created("acme", day(0), 10_000, Map.of()), 0);
        assertThatCode(() -> {
            engine.onUsage(a, delta("acme", "api_calls", Long.MAX_VALUE - 5, day(1)), 0);
            engine.onUsage(a, delta("acme", "api_calls", Long.MAX_VALUE - 5, day(1)), 0);
            engine.onUsage(a, delta("acme", "api_calls", 10, day(1)), 0);
        }).doesNotThrowAnyException();
        assertThat(a.metrics.get("api_calls").usage).isEqualTo(Long.MAX_VALUE);
    }

    private static void assertInvalid(Optional<Violation> v) {
        assertThat(v).hasValueSatisfying(x -> assertThat(x.reason()).isEqualTo(DeadLetterReason.INVALID_VALUE));
    }
}
