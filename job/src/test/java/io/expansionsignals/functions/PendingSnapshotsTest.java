package io.expansionsignals.functions;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.schema.AccountHealth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingSnapshotsTest {
    /** A snapshot told apart by its account and MRR; nothing else matters to the buffer. */
    private static AccountHealth snapshot(String account, long mrr) {
        AccountHealth s = new AccountHealth();
        s.setAccountId(account);
        s.setMrrMinor(mrr);
        return s;
    }

    private static List<String> drain(PendingSnapshots p) {
        List<String> out = new ArrayList<>();
        p.drain(s -> out.add(s.getAccountId() + "=" + s.getMrrMinor()));
        return out;
    }

    @Test
    void onlyTheNewestSnapshotOfEachAccountIsWrittenAtTheBarrier() {
        PendingSnapshots p = new PendingSnapshots(10);
        assertThat(p.offer(snapshot("a", 1), 0)).isNull();
        assertThat(p.offer(snapshot("b", 1), 0)).isNull();
        assertThat(p.offer(snapshot("a", 2), 0)).isNull();
        assertThat(p.offer(snapshot("a", 3), 0)).isNull();
        assertThat(p.size()).isEqualTo(2);
        assertThat(p.superseded()).isEqualTo(2);
        assertThat(drain(p)).containsExactly("b=1", "a=3");
        assertThat(p.size()).isZero();
        assertThat(drain(p)).isEmpty();
    }

    @Test
    void pastCapacityTheAccountUpdatedLongestAgoIsWrittenAtOnce() {
        PendingSnapshots p = new PendingSnapshots(2);
        p.offer(snapshot("a", 1), 0);
        p.offer(snapshot("b", 1), 0);
        p.offer(snapshot("a", 2), 0); // a is now the most recently updated
        AccountHealth due = p.offer(snapshot("c", 1), 0);
        assertThat(due.getAccountId()).isEqualTo("b");
        assertThat(drain(p)).containsExactly("a=2", "c=1");
    }

    @Test
    void anAccountWrittenEarlyKeepsItsOrder() {
        PendingSnapshots p = new PendingSnapshots(1);
        List<String> written = new ArrayList<>();
        for (AccountHealth s : List.of(snapshot("a", 1), snapshot("b", 1), snapshot("a", 2), snapshot("a", 3))) {
            AccountHealth due = p.offer(s, 0);
            if (due != null) {
                written.add(due.getAccountId() + "=" + due.getMrrMinor());
            }
        }
        written.addAll(drain(p));
        assertThat(written).containsExactly("a=1", "b=1", "a=3");
    }

    @Test
    void accountsQuietSinceTheCutoffAreWrittenAndRecentOnesStayHeld() {
        PendingSnapshots p = new PendingSnapshots(10);
        p.offer(snapshot("a", 1), 1_000);
        p.offer(snapshot("b", 1), 1_400);
        p.offer(snapshot("c", 1), 1_600);
        p.offer(snapshot("a", 2), 1_800); // a changed again: no longer quiet
        List<String> written = new ArrayList<>();
        assertThat(p.drainUpdatedUpTo(1_400, s -> written.add(s.getAccountId() + "=" + s.getMrrMinor()))).isEqualTo(1);
        assertThat(written).containsExactly("b=1");
        assertThat(p.drainUpdatedUpTo(1_300, s -> written.add(s.getAccountId()))).isZero();
        assertThat(drain(p)).containsExactly("c=1", "a=2");
    }

    @Test
    void capacityZeroHoldsNothing() {
        PendingSnapshots p = new PendingSnapshots(0);
        AccountHealth s = snapshot("a", 1);
        assertThat(p.offer(s, 0)).isSameAs(s);
        assertThat(p.size()).isZero();
        assertThat(drain(p)).isEmpty();
    }
}
