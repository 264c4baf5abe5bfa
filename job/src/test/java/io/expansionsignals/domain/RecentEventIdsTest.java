package io.expansionsignals.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentEventIdsTest {
    private static final long HOUR = 3_600_000L;
    private static final long WINDOW = 24 * HOUR;

    private static AccountState account() {
        return AccountEngine.newAccount("acme");
    }

    @Test
    void anAppliedIdIsRecognisedAndAnotherIsNot() {
        AccountState a = account();
        RecentEventIds.remember(a, "evt-1", 10 * HOUR, WINDOW, 100);
        assertThat(RecentEventIds.contains(a, "evt-1")).isTrue();
        assertThat(RecentEventIds.contains(a, "evt-2")).isFalse();
    }

    @Test
    void idsAreForgottenOnceTheirEventTimeFallsOutOfTheWindowBehindTheNewestEvent() {
        AccountState a = account();
        RecentEventIds.remember(a, "old", 0, WINDOW, 100);
        a.lastEventAt = 0;
        RecentEventIds.remember(a, "within", 20 * HOUR, WINDOW, 100);
        a.lastEventAt = 20 * HOUR;
        assertThat(RecentEventIds.contains(a, "old")).as("20 h behind the newest: kept").isTrue();
        RecentEventIds.remember(a, "newest", 25 * HOUR, WINDOW, 100);
        a.lastEventAt = 25 * HOUR;
        assertThat(RecentEventIds.contains(a, "old")).as("25 h behind: forgotten").isFalse();
        assertThat(RecentEventIds.contains(a, "within")).isTrue();
        assertThat(RecentEventIds.size(a)).isEqualTo(2);
    }

    @Test
    void aLateEventDoesNotEvictIdsThatAreNewerThanIt() {
        AccountState a = account();
        a.lastEventAt = 50 * HOUR;
        RecentEventIds.remember(a, "recent", 50 * HOUR, WINDOW, 100);
        RecentEventIds.remember(a, "late", 40 * HOUR, WINDOW, 100);
        assertThat(RecentEventIds.contains(a, "recent")).isTrue();
        assertThat(RecentEventIds.contains(a, "late")).isTrue();
    }

    @Test
    void atMostMaxIdsAreKeptAndTheOldestArrivedGoFirst() {
        AccountState a = account();
        for (int i = 0; i < 50; i++) {
            RecentEventIds.remember(a, "evt-" + i, HOUR, WINDOW, 16);
        }
        assertThat(RecentEventIds.size(a)).isEqualTo(16);
        assertThat(a.seenIdHashes.length).isLessThanOrEqualTo(16);
        assertThat(RecentEventIds.contains(a, "evt-49")).isTrue();
        assertThat(RecentEventIds.contains(a, "evt-34")).isTrue();
        assertThat(RecentEventIds.contains(a, "evt-33")).isFalse();
        assertThat(RecentEventIds.contains(a, "evt-0")).isFalse();
    }

    @Test
    void theArraysShrinkWhenMostIdsExpire() {
        AccountState a = account();
        for (int i = 0; i < 200; i++) {
            RecentEventIds.remember(a, "burst-" + i, HOUR, WINDOW, 1024);
        }
        assertThat(a.seenIdHashes.length).isGreaterThanOrEqualTo(200);
        a.lastEventAt = 100 * HOUR;
        RecentEventIds.remember(a, "later", 100 * HOUR, WINDOW, 1024);
        assertThat(RecentEventIds.size(a)).isEqualTo(1);
        assertThat(a.seenIdHashes.length).isLessThanOrEqualTo(8);
    }

    @Test
    void theHashSeparatesManySimilarIds() {
        java.util.Set<Long> hashes = new java.util.HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            hashes.add(RecentEventIds.hash("acct-000123-evt-" + i));
        }
        assertThat(hashes).hasSize(200_000);
    }
}
