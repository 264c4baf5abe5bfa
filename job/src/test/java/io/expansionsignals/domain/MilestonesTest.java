package io.expansionsignals.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.schema.BillingInterval;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Milestone keys compared without building them, and the next due time without the pending list. */
class MilestonesTest {
    private static final long DAY = UsagePeriod.DAY_MILLIS;

    @Test
    void aKeyMatchesOnlyItsExactNameSubscriptionAndNumber() {
        assertThat(Milestones.isKey("DAY_30_CHECK_IN|1700000000000", Milestones.DAY_30, null, 1_700_000_000_000L)).isTrue();
        assertThat(Milestones.isKey("DAY_30_CHECK_IN|1700000000000", Milestones.DAY_30, null, 170_000_000_000L)).isFalse();
        assertThat(Milestones.isKey("DAY_30_CHECK_IN|170000000000", Milestones.DAY_30, null, 1_700_000_000_000L)).isFalse();
        assertThat(Milestones.isKey("DAY_30_CHECK_IN|1700000000001", Milestones.DAY_30, null, 1_700_000_000_000L)).isFalse();
        assertThat(Milestones.isKey("DAY_90_REVIEW|1700000000000", Milestones.DAY_30, null, 1_700_000_000_000L)).isFalse();
        assertThat(Milestones.isKey("DAY_30_CHECK_IN|-86400000", Milestones.DAY_30, null, -86_400_000L)).isTrue();
        assertThat(Milestones.isKey("DAY_30_CHECK_IN|86400000", Milestones.DAY_30, null, -86_400_000L)).isFalse();
        assertThat(Milestones.isKey("DAY_30_CHECK_IN|0", Milestones.DAY_30, null, 0)).isTrue();
        assertThat(Milestones.isKey("DAY_30_CHECK_IN|", Milestones.DAY_30, null, 0)).isFalse();
        assertThat(Milestones.isKey("RENEWAL_PREP|sub@a@42", Milestones.RENEWAL_PREP, "sub@a", 42)).isTrue();
        assertThat(Milestones.isKey("RENEWAL_PREP|sub@a@42", Milestones.RENEWAL_PREP, "sub", 42)).isFalse();
        assertThat(Milestones.isKey("RENEWAL_PREP|sub-1@42", Milestones.RENEWAL_PREP, "sub-2", 42)).isFalse();
        assertThat(Milestones.isKey("RENEWAL_PREP|42", Milestones.RENEWAL_PREP, "sub", 42)).isFalse();
        assertThat(Milestones.isKey("RENEWAL_PREP|sub@" + Long.MIN_VALUE, Milestones.RENEWAL_PREP, "sub", Long.MIN_VALUE)).isTrue();
    }

    @Test
    void renewalsOfTheMinimumIntervalAndLongerArePrepared() {
        assertThat(Milestones.prepares(BillingInterval.YEARLY, BillingInterval.YEARLY)).isTrue();
        assertThat(Milestones.prepares(BillingInterval.QUARTERLY, BillingInterval.YEARLY)).isFalse();
        assertThat(Milestones.prepares(BillingInterval.MONTHLY, BillingInterval.YEARLY)).isFalse();
        assertThat(Milestones.prepares(null, BillingInterval.YEARLY)).isFalse();
        assertThat(Milestones.prepares(BillingInterval.QUARTERLY, BillingInterval.QUARTERLY)).isTrue();
        assertThat(Milestones.prepares(BillingInterval.MONTHLY, BillingInterval.QUARTERLY)).isFalse();
        assertThat(Milestones.prepares(BillingInterval.MONTHLY, BillingInterval.MONTHLY)).isTrue();
    }

    @Test
    void pendingAndNextDueAgreeWithKeysBuiltAsStrings() {
        Random rnd = new Random(7);
        for (int round = 0; round < 5_000; round++) {
            AccountState a = randomAccount(rnd);
            BillingInterval from = BillingInterval.values()[rnd.nextInt(BillingInterval.values().length)];
            List<String> candidates = candidateKeys(a, from);
            Set<String> expected = new TreeSet<>(candidates);
            expected.removeAll(a.firedMilestones);

            List<Milestones.Due> pending = Milestones.pending(a, from);
            Set<String> keys = pending.stream().map(Milestones.Due::key).collect(Collectors.toCollection(TreeSet::new));
            assertThat(keys).as("round %d", round).isEqualTo(expected);
            long earliest = pending.stream().mapToLong(Milestones.Due::at).min().orElse(Long.MAX_VALUE);
            assertThat(Milestones.nextDue(a, from)).as("round %d", round).isEqualTo(earliest);
        }
    }

    /** The keys a milestone of this account would have, built the way they are stored. */
    private static List<String> candidateKeys(AccountState a, BillingInterval from) {
        List<String> keys = new ArrayList<>();
        if (!a.hasActiveSubscription()) {
            return keys;
        }
        if (a.firstStartAt > 0) {
            for (String name : List.of(Milestones.DAY_30, Milestones.DAY_90, Milestones.DAY_180)) {
                keys.add(name + "|" + a.firstStartAt);
            }
        }
        for (SubscriptionState s : a.subscriptions.values()) {
            if (s.active && s.renewalDate > 0 && s.cancelAt == 0 && MrrNormaliser.months(s.billingInterval) >= MrrNormaliser.months(from)) {
                keys.add(Milestones.RENEWAL_PREP + "|" + s.subscriptionId + "@" + s.renewalDate);
            }
        }
        return keys;
    }

    private static AccountState randomAccount(Random rnd) {
        AccountState a = AccountEngine.newAccount("acct");
        a.firstStartAt = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(1_000) * DAY;
        int subscriptions = rnd.nextInt(4);
        for (int i = 0; i < subscriptions; i++) {
            SubscriptionState s = new SubscriptionState();
            s.subscriptionId = rnd.nextBoolean() ? "sub-" + i : "sub@" + i;
            s.active = rnd.nextInt(5) > 0;
            s.renewalDate = rnd.nextInt(3) == 0 ? 0 : (a.firstStartAt / DAY + rnd.nextInt(800)) * DAY;
            s.cancelAt = rnd.nextInt(4) == 0 ? s.renewalDate + DAY : 0;
            s.billingInterval = BillingInterval.values()[rnd.nextInt(BillingInterval.values().length)];
            a.subscriptions.put(s.subscriptionId, s);
        }
        List<String> keys = candidateKeys(a, BillingInterval.MONTHLY);
        for (String key : keys) {
            if (rnd.nextBoolean()) {
                a.firedMilestones.add(key);
            }
        }
        // keys of other anchors and near misses, which must not count as fired
        a.firedMilestones.add(Milestones.DAY_30 + "|" + (a.firstStartAt + 1));
        a.firedMilestones.add(Milestones.RENEWAL_PREP + "|sub-9@" + a.firstStartAt);
        return a;
    }
}
