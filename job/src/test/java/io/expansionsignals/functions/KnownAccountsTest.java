package io.expansionsignals.functions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KnownAccountsTest {
    private static final int ACCOUNTS = 200_000; // past the first filter's capacity four times over

    @Test
    void anEmptyFilterHoldsNoAccount() {
        KnownAccounts known = new KnownAccounts();
        assertThat(known.mayHold("acct-1")).isFalse();
        assertThat(known.size()).isZero();
    }

    @Test
    void everyAccountAddedIsHeldAcrossEveryGrowth() {
        KnownAccounts known = new KnownAccounts();
        for (int i = 0; i < ACCOUNTS; i++) {
            known.add("acct-" + i);
        }
        for (int i = 0; i < ACCOUNTS; i++) {
            assertThat(known.mayHold("acct-" + i)).as("acct-%d", i).isTrue();
        }
        // an add answered "may hold" by a false positive is not counted, so a few fewer
        assertThat(known.size()).isBetween(ACCOUNTS - ACCOUNTS / 200L, (long) ACCOUNTS);
        assertThat((double) known.bytes() / ACCOUNTS).as("bytes per account").isBetween(2.0, 5.0);
    }

    @Test
    void fewAccountsNeverAddedReadAsHeld() {
        KnownAccounts known = new KnownAccounts();
        for (int i = 0; i < ACCOUNTS; i++) {
            known.add("acct-" + i);
        }
        int falsePositives = 0;
        for (int i = 0; i < ACCOUNTS; i++) {
            if (known.mayHold("acct-" + (ACCOUNTS + i))) {
                falsePositives++;
            }
        }
        assertThat(falsePositives).as("false positives of %,d", ACCOUNTS).isLessThan(ACCOUNTS / 100);
    }

    @Test
    void anAccountAddedTwiceCountsOnce() {
        KnownAccounts known = new KnownAccounts();
        known.add("acct-1");
        known.add("acct-1");
        assertThat(known.size()).isEqualTo(1);
        assertThat(known.mayHold("acct-1")).isTrue();
    }

    @Test
    void theHashDependsOnEveryCharacter() {
        assertThat(KnownAccounts.hash("acct-10")).isNotEqualTo(KnownAccounts.hash("acct-01"));
        assertThat(KnownAccounts.hash("acct-1") >>> 32).isNotEqualTo(KnownAccounts.hash("acct-2") >>> 32);
    }
}
