package io.expansionsignals.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.schema.EngagementType;
import io.expansionsignals.testutils.Catalogs;
import io.expansionsignals.testutils.Events;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Names from the product's vocabularies are held once, however many accounts and events bring them. */
class SharedNamesTest {
    private final EngineSettings settings = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build();
    private final AccountEngine engine = new AccountEngine(settings);

    /** A string equal to {@code s} that is not the same object, as a decoder makes one per record. */
    private static String decoded(String s) {
        return new String(s.toCharArray());
    }

    @Test
    void equalNamesBecomeOneInstance() {
        String first = decoded("api_calls");
        String second = decoded("api_calls");

        assertThat(SharedNames.of(first)).isSameAs(SharedNames.of(second));
        assertThat(SharedNames.of(second)).isEqualTo("api_calls");
        assertThat(SharedNames.of(null)).isNull();
    }

    @Test
    void aFullPoolAndOverlongStringsHandBackTheArgument() {
        SharedNames pool = new SharedNames(2);
        String a = pool.share(decoded("a"));
        pool.share(decoded("b"));

        String c = decoded("c");
        assertThat(pool.share(c)).isSameAs(c);
        assertThat(pool.share(decoded("a"))).isSameAs(a); // what it holds it still shares

        String longText = decoded("x".repeat(SharedNames.MAX_LENGTH + 1));
        assertThat(new SharedNames(10).share(longText)).isSameAs(longText);
    }

    @Test
    void twoAccountsFedByDifferentDecodedEventsShareTheirNames() {
        AccountState one = fed("one");
        AccountState two = fed("two");

        assertThat(key(one.metrics, "api_calls")).isSameAs(key(two.metrics, "api_calls"));
        assertThat(key(one.featureLastUsed, "reports")).isSameAs(key(two.featureLastUsed, "reports"));
        assertThat(key(one.gateHits, "sso")).isSameAs(key(two.gateHits, "sso"));
        SubscriptionState s1 = one.subscriptions.values().iterator().next();
        SubscriptionState s2 = two.subscriptions.values().iterator().next();
        assertThat(s1.planId).isSameAs(s2.planId);
        assertThat(s1.currency).isSameAs(s2.currency);
        assertThat(key(s1.limits, "api_calls")).isSameAs(key(s2.limits, "api_calls"));
        // an id of one account is its own: not pooled
        assertThat(s1.subscriptionId).isNotEqualTo(s2.subscriptionId);
    }

    private AccountState fed(String account) {
        AccountState a = AccountEngine.newAccount(account);
        engine.onSubscription(a, Events.subscription(account,
                io.expansionsignals.schema.SubscriptionEventType.CREATED, Events.day(0))
                .setPlanId(decoded("starter")).setCurrency(decoded("USD")).setStartDate(Events.day(0))
                .setLimits(Map.of(decoded("api_calls"), 10_000L)).build(), 0);
        engine.onUsage(a, Events.delta(account, decoded("api_calls"), 100, Events.day(1)), 0);
        engine.onEngagement(a, Events.engagement(account, EngagementType.FEATURE_USED, Events.day(1))
                .setFeature(decoded("reports")).build(), 0);
        engine.onEngagement(a, Events.gateHit(account, decoded("sso"), "enterprise", Events.day(1)), 0);
        return a;
    }

    private static String key(Map<String, ?> map, String name) {
        for (String k : map.keySet()) {
            if (k.equals(name)) {
                return k;
            }
        }
        throw new AssertionError(name + " not in " + map.keySet());
    }
}
