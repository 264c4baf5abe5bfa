package io.expansionsignals.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The account cache's open-addressing table against a plain map, and its clock. */
class AccountTableTest {

    /** Keys whose String hashes collide ("Aa" and "BB" hash alike), so probe runs and wrap-around are common. */
    private static String key(int i) {
        StringBuilder s = new StringBuilder();
        for (int bit = 0; bit < 12; bit++) {
            s.append((i >> bit & 1) == 0 ? "Aa" : "BB");
        }
        return s.append(i >> 12).toString();
    }

    @Test
    void behavesAsAMapUnderRandomAddsRemovesAndEvictionsWithCollidingKeys() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int capacity : new int[] {1, 3, 17, 1_000, 5_000}) { // 5,000 grows the table twice
            AccountTable table = new AccountTable(capacity);
            Map<String, AccountTable.Entry> reference = new HashMap<>();
            for (int op = 0; op < 200_000; op++) {
                String k = key(rnd.nextInt(3 * capacity + 5));
                int what = rnd.nextInt(10);
                if (what < 6) {
                    assertThat(table.get(k)).isSameAs(reference.get(k));
                } else if (what < 9) {
                    if (reference.containsKey(k)) {
                        continue;
                    }
                    AccountTable.Entry added = table.add(k);
                    assertThat(added.key).isEqualTo(k);
                    reference.put(k, added);
                    if (reference.size() > capacity) {
                        AccountTable.Entry evicted = table.evict(added);
                        assertThat(evicted).isNotSameAs(added);
                        assertThat(reference.remove(evicted.key)).isSameAs(evicted);
                    }
                } else {
                    assertThat(table.remove(k)).isSameAs(reference.remove(k));
                }
                assertThat(table.size()).isEqualTo(reference.size());
            }
            for (Map.Entry<String, AccountTable.Entry> e : reference.entrySet()) {
                assertThat(table.get(e.getKey())).isSameAs(e.getValue());
            }
        }
    }

    @Test
    void theClockEvictsAnEntryNotUsedSinceItsLastPassBeforeOneUsedSince() {
        AccountTable table = new AccountTable(4);
        List<AccountTable.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            entries.add(table.add("acct-" + i));
        }
        AccountTable.Entry fifth = table.add("acct-4");
        AccountTable.Entry first = table.evict(fifth); // every entry new: one pass clears them all, then one goes
        assertThat(first).isIn(entries);
        // all but one of the remaining old entries are used again: the one left unused goes next
        List<AccountTable.Entry> old = new ArrayList<>(entries);
        old.remove(first);
        AccountTable.Entry idle = old.get(1);
        for (AccountTable.Entry e : old) {
            if (e != idle) {
                assertThat(table.get(e.key)).isSameAs(e);
            }
        }
        assertThat(table.get(fifth.key)).isSameAs(fifth);
        AccountTable.Entry sixth = table.add("acct-5");
        assertThat(table.evict(sixth)).isSameAs(idle);
    }

    @Test
    void aTableGrowsAsAccountsArriveAndFindsEveryOneAfterwards() {
        AccountTable table = new AccountTable(100_000);
        List<AccountTable.Entry> added = new ArrayList<>();
        for (int i = 0; i <= 100_000; i++) { // the capacity and one more, through five doublings
            added.add(table.add("acct-" + i));
        }
        assertThat(table.size()).isEqualTo(100_001);
        for (AccountTable.Entry e : added) {
            assertThat(table.get(e.key)).isSameAs(e);
        }
        AccountTable.Entry evicted = table.evict(added.get(100_000));
        assertThat(table.get(evicted.key)).isNull();
    }

    @Test
    void addingPastTheCapacityAndOneWithoutEvictingFailsInsteadOfFillingTheTable() {
        AccountTable table = new AccountTable(1);
        table.add("acct-1");
        table.add("acct-2"); // the one more a write adds before it evicts
        assertThatThrownBy(() -> table.add("acct-3")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aTableOfOneEntryCannotEvictTheEntryItKeeps() {
        AccountTable table = new AccountTable(1);
        AccountTable.Entry only = table.add("acct-1");
        assertThatThrownBy(() -> table.evict(only)).isInstanceOf(IllegalStateException.class);
    }
}
