package io.expansionsignals.reliability;

import static io.expansionsignals.testutils.Events.created;
import static io.expansionsignals.testutils.Events.day;
import static io.expansionsignals.testutils.Events.engagement;
import static io.expansionsignals.testutils.Events.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineResult;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.EngagementType;
import io.expansionsignals.schema.ExpansionSignalType;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.testutils.Catalogs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Found by {@link StateBoundednessSoakTest}: two AccountState collections grew for as long as an
 * account lived. {@code firedMilestones} gained a RENEWAL_PREP key at every renewal (12 a year
 * for a monthly plan, which since gets no renewal preparation at all); {@code gateHits} kept an entry, and a hit, for every feature that ever hit
 * its gate, because only the feature being hit was pruned.
 */
class StateGrowthTest {
    private static final EngineSettings SETTINGS = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build();
    private final AccountEngine engine = new AccountEngine(SETTINGS);

    @Test
    void renewalPreparationKeysDoNotAccumulateButEachYearlyRenewalIsSignalledOnce() {
        AccountState a = AccountEngine.newAccount("acme");
        List<String> preps = renewEachTerm(a, BillingInterval.YEARLY, 365, 12);
        assertThat(preps).hasSize(12).doesNotHaveDuplicates();
        assertThat(a.firedMilestones).hasSizeLessThanOrEqualTo(3 + 2);
    }

    @Test
    void monthlyRenewalsNeitherSignalAPreparationNorKeepAKey() {
        AccountState a = AccountEngine.newAccount("acme");
        assertThat(renewEachTerm(a, BillingInterval.MONTHLY, 30, 36)).isEmpty();
        assertThat(a.firedMilestones).noneMatch(k -> k.startsWith("RENEWAL_PREP"));
    }

    /**
     * Renews a subscription {@code terms} times: the billing system reports each next renewal the
     * day after the last one; time then passes to the day after renewal preparation would be due.
     */
    private List<String> renewEachTerm(AccountState a, BillingInterval interval, int termDays, int terms) {
        engine.onSubscription(a, created("acme", day(0), 10_000, Map.of()), 0);
        List<String> preps = new ArrayList<>();
        for (int term = 1; term <= terms; term++) {
            int renewal = termDays * term;
            engine.onSubscription(a, subscription("acme", SubscriptionEventType.QUANTITY_CHANGED, day(renewal - termDays + 1))
                    .setBillingInterval(interval).setRenewalDate(day(renewal)).build(), 0);
            preps.addAll(renewalPreparations(engine.onTime(a, day(renewal - Math.min(89, termDays - 2)).toEpochMilli(), 0)));
        }
        return preps;
    }

    private static List<String> renewalPreparations(EngineResult r) {
        return r.expansionSignals.stream()
                .filter(s -> s.getType() == ExpansionSignalType.MILESTONE && "RENEWAL_PREP".equals(s.getMilestone()))
                .map(s -> s.getSignalId()).toList();
    }

    @Test
    void gateHitsOfFeaturesNotHitForLongAreForgotten() {
        AccountState a = AccountEngine.newAccount("acme");
        engine.onSubscription(a, created("acme", day(0), 10_000, Map.of()), 0);
        for (int d = 1; d <= 400; d++) {
            engine.onEngagement(a, engagement("acme", EngagementType.FEATURE_GATE_HIT, day(d)).setFeature("feature-" + d)
                    .setFeatureTier("growth").build(), 0);
        }
        int window = (int) (SETTINGS.featureGateWindowMillis / 86_400_000L);
        assertThat(a.gateHits.size()).isLessThanOrEqualTo(2 * window + 1);
        assertThat(a.gateHits).containsKey("feature-400");
        assertThat(a.gateSignalledAt.size()).isLessThanOrEqualTo(2 * window + 1);
    }
}
