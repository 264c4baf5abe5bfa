package io.expansionsignals.bench;

import io.expansionsignals.config.JobConfig;
import io.expansionsignals.domain.AccountEngine;
import io.expansionsignals.domain.AccountState;
import io.expansionsignals.domain.EngineResult;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.domain.InputValidator;
import io.expansionsignals.io.registry.ConfluentAvroDecoder;
import io.expansionsignals.io.registry.DecodeResult;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The domain ceiling: the pure-Java {@link AccountEngine} over the same records, decoded
 * beforehand (not timed), validated and applied with states in a plain HashMap. No de-duplication, timers or
 * serialisation: this is what the decisions alone cost, on one thread.
 */
public final class DomainCeiling {
    private DomainCeiling() {}

    public static Measurement run(Infra infra, Preloader.Loaded in) {
        ConfluentAvroDecoder<?>[] decoders = TransportCeiling.decoders(infra);
        List<Object> events = new ArrayList<>((int) in.records());
        TopicReader.readAll(infra.bootstrap(), in.topics(), in.records(), (topic, r) -> {
            DecodeResult<?> d = decoders[topic].decode(r.value());
            if (d.isOk()) {
                events.add(d.record());
            }
        });
        EngineSettings settings = JobConfig.from(new String[0], k -> null).engineSettings();
        AccountEngine engine = new AccountEngine(settings);
        InputValidator validator = new InputValidator(settings);
        Map<String, AccountState> states = new HashMap<>();
        long signals = 0;
        long now = System.currentTimeMillis(); // processing time only stamps outputs
        CpuClock clock = new CpuClock();
        for (Object e : events) {
            EngineResult r;
            // The job validates at decode time and dead-letters what fails; so does this loop.
            if (e instanceof SubscriptionEvent s) {
                if (validator.check(s, now).or(() -> validator.checkCatalog(s)).isPresent()) { // decode + operator checks
                    continue;
                }
                r = engine.onSubscription(states.computeIfAbsent(s.getAccountId(), AccountEngine::newAccount), s, now);
            } else if (e instanceof UsageEvent u) {
                if (validator.check(u, now).isPresent()) {
                    continue;
                }
                r = engine.onUsage(states.computeIfAbsent(u.getAccountId(), AccountEngine::newAccount), u, now);
            } else {
                EngagementEvent g = (EngagementEvent) e;
                if (validator.check(g, now).isPresent()) {
                    continue;
                }
                r = engine.onEngagement(states.computeIfAbsent(g.getAccountId(), AccountEngine::newAccount), g, now);
            }
            signals += r.expansionSignals.size() + r.churnRiskSignals.size();
        }
        long end = System.nanoTime();
        System.out.printf("  domain: %d decoded events, %d accounts, %d signals%n", events.size(), states.size(), signals);
        return new Measurement("domain ceiling (AccountEngine + HashMap)", in.accounts(), events.size(),
                clock.wallSeconds(end), clock.cpuSeconds(), -1, -1).withLiveAccounts(states.size());
    }
}
