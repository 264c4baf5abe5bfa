package io.expansionsignals.workload;

import io.expansionsignals.config.CatalogLoader;
import io.expansionsignals.domain.AddOn;
import io.expansionsignals.domain.Plan;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.UsageEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A deterministic synthetic workload: a population of accounts living through simulated time,
 * step by step, with the producer quirks of SPEC §6 mixed in. One seeded random source drives
 * everything, in a fixed order, so the same spec yields the same records byte for byte.
 *
 * <p>Simulated time never passes the clock: a step that would end after {@code clock.instant()}
 * is not run ({@link #tick} returns false). Started in the past, the generator catches up as
 * fast as its caller lets it and then follows the wall clock, so the job never sees events from
 * its future. Tests pass a fixed clock as the bound.
 */
public final class WorkloadGenerator {
    /** Producer retries resend within seconds; an out-of-order event is at most this much late. */
    static final Duration MAX_OUT_OF_ORDER = Duration.ofHours(3);

    private final WorkloadSpec spec;
    private final Clock bound;
    private final SplittableRandom rng;
    private final List<SimAccount> accounts;
    private final AccountSimulator simulator;
    private final Malformer malformer;
    /** Per good event, the chance of a duplicate and of a malformed record, so that the shares of
     *  all records sent come out as configured: p = share / (1 − dupShare − malformedShare). */
    private final double duplicateChance;
    private final double malformedChance;
    /** Volatile: a progress reporter on another thread reads them. */
    private volatile Instant now;
    private volatile long steps;

    public WorkloadGenerator(WorkloadSpec spec) {
        this(spec, CatalogLoader.load(null), Clock.systemUTC());
    }

    public WorkloadGenerator(WorkloadSpec spec, Clock bound) {
        this(spec, CatalogLoader.load(null), bound);
    }

    /**
     * @param catalog plans, add-ons and FX rates to draw accounts from (the job's catalog)
     * @param bound simulated time never passes this clock's instant
     */
    public WorkloadGenerator(WorkloadSpec spec, CatalogLoader.Loaded catalog, Clock bound) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.bound = Objects.requireNonNull(bound, "bound");
        if (spec.duplicateShare() + spec.malformedShare() > 0.5) {
            throw new IllegalArgumentException("duplicateShare + malformedShare must be at most 0.5, was "
                    + (spec.duplicateShare() + spec.malformedShare()));
        }
        double rest = 1 - spec.duplicateShare() - spec.malformedShare();
        this.duplicateChance = spec.duplicateShare() / rest;
        this.malformedChance = spec.malformedShare() / rest;
        List<Plan> plans = new ArrayList<>(catalog.catalog().plans());
        plans.sort(Comparator.comparingInt(Plan::tier).thenComparing(Plan::planId));
        List<AddOn> addOns = new ArrayList<>(catalog.catalog().addOns());
        addOns.sort(Comparator.comparing(AddOn::addonId));
        if (plans.isEmpty()) {
            throw new IllegalArgumentException("the plan catalog has no plans to simulate");
        }
        this.rng = new SplittableRandom(spec.seed());
        EventFactory events = new EventFactory(spec.seed(), plans, new Pricing(catalog.fx()));
        this.accounts = Population.draw(rng, spec, plans, catalog.fx());
        this.simulator = new AccountSimulator(rng, events, plans, addOns);
        this.malformer = new Malformer(rng, events);
        this.now = spec.start();
    }

    public WorkloadSpec spec() {
        return spec;
    }

    /** The end of the last simulated step (the start while none ran). */
    public Instant simulatedNow() {
        return now;
    }

    public long stepsRun() {
        return steps;
    }

    /** When the next step would end; it runs once the bound clock has reached this. */
    public Instant nextStepEnd() {
        return now.plus(spec.simulatedStep());
    }

    /**
     * Simulates one step for all accounts and sends its records in event-time order.
     *
     * @return false, sending nothing, if the step would end after the bound clock's now
     */
    public boolean tick(WorkloadSink sink) {
        Instant to = nextStepEnd();
        if (to.isAfter(bound.instant())) {
            return false;
        }
        List<Pending> batch = new ArrayList<>();
        for (SimAccount a : accounts) {
            simulator.step(a, now, to, batch);
        }
        batch.sort(Comparator.comparing(Pending::at)); // stable: ties keep generation order
        for (Pending p : batch) {
            send(p, sink);
        }
        now = to;
        steps++;
        return true;
    }

    /** Runs up to {@code steps} steps; returns how many ran (fewer when the bound is reached). */
    public int run(WorkloadSink sink, int steps) {
        int ran = 0;
        while (ran < steps && tick(sink)) {
            ran++;
        }
        return ran;
    }

    private void send(Pending p, WorkloadSink sink) {
        if (rng.nextDouble() < spec.outOfOrderShare()) {
            Instant late = p.at().minusMillis(rng.nextLong(60_000, MAX_OUT_OF_ORDER.toMillis()));
            setOccurredAt(p, late);
        }
        deliver(p, sink);
        if (rng.nextDouble() < duplicateChance) {
            deliver(p, sink); // a producer retry: the very same record, same eventId
        }
        if (rng.nextDouble() < malformedChance) {
            malformer.emit(p, sink);
        }
    }

    private static void setOccurredAt(Pending p, Instant at) {
        if (p.record() instanceof SubscriptionEvent e) {
            e.setOccurredAt(at);
        } else if (p.record() instanceof UsageEvent e) {
            e.setOccurredAt(at);
        } else {
            ((EngagementEvent) p.record()).setOccurredAt(at);
        }
    }

    private static void deliver(Pending p, WorkloadSink sink) {
        switch (p.topic()) {
            case SUBSCRIPTION -> sink.subscription((SubscriptionEvent) p.record());
            case USAGE -> sink.usage((UsageEvent) p.record());
            case ENGAGEMENT -> sink.engagement((EngagementEvent) p.record());
        }
    }
}
