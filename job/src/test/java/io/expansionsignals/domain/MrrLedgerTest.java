package io.expansionsignals.domain;

import static io.expansionsignals.testutils.Events.day;
import static io.expansionsignals.testutils.Events.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.MovementType;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.testutils.Catalogs;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MrrLedgerTest {
    private final EngineSettings settings = EngineSettings.builder().fx(Catalogs.fx()).catalog(Catalogs.standard()).build();
    private MrrLedger ledger;
    private AccountState account;

    @BeforeEach
    void setUp() {
        ledger = new MrrLedger(settings);
        account = AccountEngine.newAccount("acme");
    }

    private List<MrrMovement> apply(SubscriptionEvent e) {
        return ledger.apply(account, e);
    }

    private static List<MovementType> types(List<MrrMovement> ms) {
        return ms.stream().map(MrrMovement::getType).toList();
    }

    @Test
    void firstSubscriptionIsNewThenUpgradeIsExpansionAndDowngradeContraction() {
        assertThat(apply(subscription("acme", SubscriptionEventType.CREATED, day(0)).setAmountMinor(10_000).build()))
                .singleElement().satisfies(m -> {
                    assertThat(m.getType()).isEqualTo(MovementType.NEW);
                    assertThat(m.getBeforeMinor()).isZero();
                    assertThat(m.getAfterMinor()).isEqualTo(10_000);
                    assertThat(m.getDeltaMinor()).isEqualTo(10_000);
                });
        assertThat(apply(subscription("acme", SubscriptionEventType.PLAN_CHANGED, day(1)).setPlanId("growth")
                .setAmountMinor(50_000).build()))
                .singleElement().satisfies(m -> {
                    assertThat(m.getType()).isEqualTo(MovementType.EXPANSION);
                    assertThat(m.getDeltaMinor()).isEqualTo(40_000);
                });
        assertThat(apply(subscription("acme", SubscriptionEventType.QUANTITY_CHANGED, day(2)).setPlanId("growth")
                .setAmountMinor(30_000).setQuantity(6).build()))
                .singleElement().satisfies(m -> {
                    assertThat(m.getType()).isEqualTo(MovementType.CONTRACTION);
                    assertThat(m.getDeltaMinor()).isEqualTo(-20_000);
                    assertThat(m.getAfterMinor()).isEqualTo(30_000);
                });
    }

    @Test
    void churnOnlyWhenTheLastActiveSubscriptionEnds() {
        apply(subscription("acme", SubscriptionEventType.CREATED, day(0)).setSubscriptionId("a").build());
        apply(subscription("acme", SubscriptionEventType.CREATED, day(0)).setSubscriptionId("b").setAmountMinor(5_000).build());
        assertThat(account.mrrMinor).isEqualTo(15_000);
        assertThat(types(apply(subscription("acme", SubscriptionEventType.CANCELED, day(3)).setSubscriptionId("a").build())))
                .containsExactly(MovementType.CONTRACTION);
        assertThat(types(apply(subscription("acme", SubscriptionEventType.CANCELED, day(4)).setSubscriptionId("b")
                .setAmountMinor(5_000).build())))
                .containsExactly(MovementType.CHURN);
        assertThat(account.mrrMinor).isZero();
    }

    @Test
    void scheduledCancellationMovesMrrWhenItTakesEffectNotWhenRequested() {
        apply(subscription("acme", SubscriptionEventType.CREATED, day(0)).build());
        List<MrrMovement> requested = apply(subscription("acme", SubscriptionEventType.CANCELLATION_SCHEDULED, day(5))
                .setEffectiveAt(day(30)).build());
        assertThat(requested).isEmpty();
        assertThat(account.mrrMinor).isEqualTo(10_000);
        assertThat(MrrLedger.nextCancellation(account)).isEqualTo(day(30).toEpochMilli());

        assertThat(ledger.applyDueCancellations(account, day(29).toEpochMilli())).isEmpty();
        List<MrrMovement> effective = ledger.applyDueCancellations(account, day(30).toEpochMilli());
        assertThat(effective).singleElement().satisfies(m -> {
            assertThat(m.getType()).isEqualTo(MovementType.CHURN);
            assertThat(m.getOccurredAt()).isEqualTo(day(30));
        });
    }

    @Test
    void reactivatingBeforeTheCancellationTakesEffectMovesNothing() {
        apply(subscription("acme", SubscriptionEventType.CREATED, day(0)).build());
        apply(subscription("acme", SubscriptionEventType.CANCELLATION_SCHEDULED, day(5)).setEffectiveAt(day(30)).build());
        assertThat(apply(subscription("acme", SubscriptionEventType.REACTIVATED, day(10)).build())).isEmpty();
        assertThat(MrrLedger.nextCancellation(account)).isZero();
        assertThat(ledger.applyDueCancellations(account, day(31).toEpochMilli())).isEmpty();
    }

    @Test
    void cancellationThenReactivationIsChurnThenReactivationNotNew() {
        apply(subscription("acme", SubscriptionEventType.CREATED, day(0)).build());
        assertThat(types(apply(subscription("acme", SubscriptionEventType.CANCELED, day(10)).build())))
                .containsExactly(MovementType.CHURN);
        assertThat(types(apply(subscription("acme", SubscriptionEventType.REACTIVATED, day(40)).build())))
                .containsExactly(MovementType.REACTIVATION);
        // A brand-new subscription after another churn is a reactivation of the account too.
        apply(subscription("acme", SubscriptionEventType.CANCELED, day(50)).build());
        assertThat(types(apply(subscription("acme", SubscriptionEventType.CREATED, day(60)).setSubscriptionId("new").build())))
                .containsExactly(MovementType.REACTIVATION);
    }

    @Test
    void anEventAfterAScheduledCancellationSeesTheChurnFirst() {
        apply(subscription("acme", SubscriptionEventType.CREATED, day(0)).build());
        apply(subscription("acme", SubscriptionEventType.CANCELLATION_SCHEDULED, day(5)).setEffectiveAt(day(30)).build());
        List<MrrMovement> ms = apply(subscription("acme", SubscriptionEventType.REACTIVATED, day(35)).build());
        assertThat(types(ms)).containsExactly(MovementType.CHURN, MovementType.REACTIVATION);
    }

    @Test
    void addOnsAreExpansionAndContractionOfTheSameSubscription() {
        apply(subscription("acme", SubscriptionEventType.CREATED, day(0)).build());
        List<MrrMovement> added = apply(subscription("acme", SubscriptionEventType.ADDON_ADDED, day(1))
                .setAddonId("analytics").setAddonAmountMinor(2_000L).build());
        assertThat(added).singleElement().satisfies(m -> {
            assertThat(m.getType()).isEqualTo(MovementType.EXPANSION);
            assertThat(m.getDeltaMinor()).isEqualTo(2_000);
        });
        List<MrrMovement> removed = apply(subscription("acme", SubscriptionEventType.ADDON_REMOVED, day(2))
                .setAddonId("analytics").build());
        assertThat(removed).singleElement().satisfies(m -> assertThat(m.getType()).isEqualTo(MovementType.CONTRACTION));
    }

    @Test
    void yearlyAndQuarterlyBillingAreNormalisedAndForeignCurrencyConverted() {
        apply(subscription("acme", SubscriptionEventType.CREATED, day(0)).setSubscriptionId("eur")
                .setBillingInterval(BillingInterval.YEARLY).setAmountMinor(120_000).setCurrency("EUR").build());
        assertThat(account.mrrMinor).isEqualTo(11_000); // EUR 1,200/yr = EUR 100/mo = USD 110
        apply(subscription("acme", SubscriptionEventType.CREATED, day(0)).setSubscriptionId("jpy")
                .setBillingInterval(BillingInterval.QUARTERLY).setAmountMinor(30_000).setCurrency("JPY").build());
        assertThat(account.mrrMinor).isEqualTo(11_000 + 7_000); // JPY 30,000/qtr = JPY 10,000/mo = USD 70
    }

    @Test
    void anFxRateChangeAloneIsNotAMovement() {
        apply(subscription("acme", SubscriptionEventType.CREATED, day(0)).setCurrency("EUR").setAmountMinor(10_000).build());
        assertThat(account.mrrMinor).isEqualTo(11_000);
        // New rates arrive (a new catalog version); nothing about the subscription changed.
        EngineSettings newRates = settings.withCatalog(settings.catalog,
                new FxRates("USD", Map.of("EUR", new BigDecimal("1.20"))));
        MrrLedger relaid = new MrrLedger(newRates);
        assertThat(relaid.applyDueCancellations(account, day(10).toEpochMilli())).isEmpty();
        assertThat(account.mrrMinor).isEqualTo(11_000);
        // The next real change is valued at the new rate: the movement is the change at today's rate.
        List<MrrMovement> ms = relaid.apply(account, subscription("acme", SubscriptionEventType.QUANTITY_CHANGED, day(11))
                .setCurrency("EUR").setAmountMinor(20_000).build());
        assertThat(ms).singleElement().satisfies(m -> assertThat(m.getAfterMinor()).isEqualTo(24_000));
    }

    @Test
    void anOlderSnapshotArrivingLateDoesNotRollTheSubscriptionBack() {
        apply(subscription("acme", SubscriptionEventType.CREATED, day(0)).build());
        apply(subscription("acme", SubscriptionEventType.PLAN_CHANGED, day(5)).setPlanId("growth").setAmountMinor(50_000).build());
        SubscriptionEvent stale = subscription("acme", SubscriptionEventType.QUANTITY_CHANGED, day(3)).setAmountMinor(12_000).build();
        assertThat(ledger.isSuperseded(account, stale)).isTrue();
    }

    @Test
    void movementIdsAreDeterministic() {
        SubscriptionEvent e = subscription("acme", SubscriptionEventType.CREATED, day(0)).setEventId("e-1").build();
        String first = apply(e).get(0).getMovementId();
        setUp();
        assertThat(apply(e).get(0).getMovementId()).isEqualTo(first);
        List<String> ids = new ArrayList<>();
        ids.add(first);
        assertThat(SignalIds.of("movement", "acme", "e-2")).isNotIn(ids);
    }
}
