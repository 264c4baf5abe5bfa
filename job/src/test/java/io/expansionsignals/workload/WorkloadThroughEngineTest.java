package io.expansionsignals.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.config.CatalogLoader;
import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineResult;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.schema.ChurnRiskType;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The point of the workload: fed to the job's engine, it makes the engine produce every kind of output. */
class WorkloadThroughEngineTest {
    @Test
    void theEngineSeesEveryMrrMovementAndTheMainSignalTypes() {
        Instant start = Instant.parse("2025-01-01T00:00:00Z");
        Instant bound = start.plus(Duration.ofDays(120));
        CatalogLoader.Loaded catalog = CatalogLoader.load(null);
        CollectingSink sink = new CollectingSink();
        new WorkloadGenerator(new WorkloadSpec(42, 150, start, Duration.ofHours(12), 0.01, 0.02, 0.005), catalog,
                Clock.fixed(bound, ZoneOffset.UTC)).run(sink, 240);

        AccountEngine engine = new AccountEngine(EngineSettings.builder().catalog(catalog.catalog()).fx(catalog.fx()).build());
        Map<String, AccountState> states = new HashMap<>();
        Set<String> seenIds = new HashSet<>();
        Set<String> movements = new HashSet<>();
        Set<String> signals = new HashSet<>();
        int risks = 0;
        Set<String> subscribed = new HashSet<>();
        Set<String> scoredAtRisk = new HashSet<>();
        for (SpecificRecord r : sink.all) {
            String id = r.get(r.getSchema().getField("eventId").pos()).toString();
            if (MalformedKind.fromEventId(id).isPresent() || !seenIds.add(id)) {
                continue; // the job dead-letters the first and de-duplicates the second
            }
            String account = r.get(r.getSchema().getField("accountId").pos()).toString();
            AccountState a = states.computeIfAbsent(account, AccountEngine::newAccount);
            if (r instanceof SubscriptionEvent) {
                subscribed.add(account);
            }
            long at = ((Instant) r.get(r.getSchema().getField("occurredAt").pos())).toEpochMilli();
            EngineResult out = r instanceof SubscriptionEvent e ? engine.onSubscription(a, e, at)
                    : r instanceof UsageEvent u ? engine.onUsage(a, u, at)
                    : engine.onEngagement(a, (EngagementEvent) r, at);
            EngineResult timers = engine.onTime(a, at, at); // scheduled cancellations take effect
            for (EngineResult res : new EngineResult[] {out, timers}) {
                res.movements.forEach(m -> movements.add(m.getType().toString()));
                res.expansionSignals.forEach(s -> signals.add(s.getType().toString()));
                risks += res.churnRiskSignals.size();
                res.churnRiskSignals.stream().filter(c -> c.getType() != ChurnRiskType.PAYMENT_FAILURE)
                        .forEach(c -> scoredAtRisk.add(c.getAccountId()));
            }
        }
        assertThat(movements).contains("NEW", "EXPANSION", "CONTRACTION", "CHURN", "REACTIVATION");
        assertThat(signals).contains("USAGE_THRESHOLD", "LIMIT_REACHED", "SEAT_THRESHOLD", "FEATURE_GATE", "MILESTONE");
        assertThat(risks).isPositive();
        // about a fifth of the workload's customers are unhappy; a score still forming flagged nearly all of them
        assertThat(scoredAtRisk).isNotEmpty().hasSizeLessThan(subscribed.size() / 3);
    }
}
