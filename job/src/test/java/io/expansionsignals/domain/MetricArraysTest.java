package io.expansionsignals.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.testutils.Catalogs;
import io.expansionsignals.testutils.Events;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics' array view is derived state: it must always show exactly what the map holds. */
class MetricArraysTest {
    private final EngineSettings settings = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build();
    private final AccountEngine engine = new AccountEngine(settings);

    private static void assertMatchesTheMap(AccountState a) {
        MetricArrays arrays = MetricArrays.of(a);
        assertThat(arrays.names).hasSize(a.metrics.size());
        for (int i = 0; i < arrays.names.length; i++) {
            assertThat(arrays.states[i]).isSameAs(a.metrics.get(arrays.names[i]));
        }
    }

    @Test
    void aMetricAddedAfterTheArraysWereBuiltIsInTheNextWalk() {
        AccountState a = AccountEngine.newAccount("acme");
        engine.onSubscription(a, Events.created("acme", Events.day(0), 10_000, Map.of()), 0);
        engine.onUsage(a, Events.delta("acme", "api_calls", 5_000, Events.day(1)), 0);
        assertMatchesTheMap(a);

        // a second metric at 90 % of its limit: the health score's utilisation must see it at once
        EngineResult r = engine.onUsage(a, Events.gauge("acme", "storage_gb", 90, Events.day(1)), 0);

        assertMatchesTheMap(a);
        assertThat(MetricArrays.of(a).names).containsExactlyInAnyOrder("api_calls", "storage_gb");
        assertThat(r.snapshot).isNotNull();
        assertThat(r.snapshot.getUtilisation()).containsOnlyKeys("api_calls", "storage_gb");
    }

    @Test
    void anAccountWhoseMapWasReplacedGetsArraysOfTheNewMap() {
        AccountState a = AccountEngine.newAccount("acme");
        MetricArrays.getOrAdd(a, "api_calls").usage = 7;
        assertMatchesTheMap(a);

        // what a restore or a copy-on-write copy looks like to the engine: same names, new objects
        AccountState copy = AccountEngine.newAccount("acme");
        MetricState fresh = new MetricState();
        fresh.usage = 7;
        copy.metrics.put("api_calls", fresh);

        assertThat(MetricArrays.of(copy).states[0]).isSameAs(fresh);
        assertThat(MetricArrays.getOrAdd(copy, "api_calls")).isSameAs(fresh);
    }
}
