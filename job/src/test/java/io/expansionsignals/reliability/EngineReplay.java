package io.expansionsignals.reliability;

import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineResult;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the keyed operator does around the engine, without Flink: one {@link AccountState} per
 * account, eventId de-duplication, and the account's wake-up (cancellations, milestones, expiry)
 * run when the account's own event time passes it. Deterministic per account, so the outputs do
 * not depend on how accounts interleave.
 */
final class EngineReplay {
    final AccountEngine engine;
    final Map<String, AccountState> states = new HashMap<>();
    final Set<String> seen = new HashSet<>();
    final Set<String> appliedIds = new HashSet<>();
    final Set<String> appliedAccounts = new HashSet<>();
    final List<ExpansionSignal> expansion = new ArrayList<>();
    final List<ChurnRiskSignal> churn = new ArrayList<>();
    final List<MrrMovement> movements = new ArrayList<>();
    long applied;
    long duplicates;
    long superseded;
    long closedPeriod;
    long expired;

    EngineReplay(EngineSettings settings) {
        this.engine = new AccountEngine(settings);
    }

    /** Applies one valid input event; returns false for a duplicate eventId. */
    boolean accept(SpecificRecord event) {
        String id = HostileInput.eventId(event);
        if (!seen.add(id)) {
            duplicates++;
            return false;
        }
        applied++;
        appliedIds.add(id);
        String account = HostileInput.accountId(event);
        appliedAccounts.add(account);
        AccountState a = states.computeIfAbsent(account, AccountEngine::newAccount);
        long at = ((java.time.Instant) event.get(event.getSchema().getField("occurredAt").pos())).toEpochMilli();
        EngineResult r = event instanceof SubscriptionEvent e ? engine.onSubscription(a, e, at)
                : event instanceof UsageEvent u ? engine.onUsage(a, u, at)
                : engine.onEngagement(a, (EngagementEvent) event, at);
        if (r.superseded) {
            superseded++;
        }
        if (r.closedPeriod) {
            closedPeriod++;
        }
        collect(r);
        long wake = engine.nextWakeUp(a);
        if (wake <= a.lastEventAt) {
            EngineResult timer = engine.onTime(a, a.lastEventAt, a.lastEventAt);
            collect(timer);
            if (timer.expire) {
                states.remove(account);
                expired++;
            }
        }
        return true;
    }

    private void collect(EngineResult r) {
        expansion.addAll(r.expansionSignals);
        churn.addAll(r.churnRiskSignals);
        movements.addAll(r.movements);
    }
}
