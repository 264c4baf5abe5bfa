package io.expansionsignals.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expansionsignals.config.CatalogLoader;
import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.domain.InputValidator;
import io.expansionsignals.domain.Violation;
import io.expansionsignals.io.registry.ConfluentWireFormat;
import io.expansionsignals.schema.EngagementEvent;
import io.expansionsignals.schema.EngagementType;
import io.expansionsignals.schema.SubscriptionEvent;
import io.expansionsignals.schema.SubscriptionEventType;
import io.expansionsignals.schema.UsageEvent;
import io.expansionsignals.schema.UsageKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.YearMonth;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WorkloadGeneratorTest {
    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    private static final int DAYS = 120;
    /** The bound (and the validator's "now"): exactly the end of the 120 days. */
    private static final Instant BOUND = START.plus(Duration.ofDays(DAYS));
    private static final CatalogLoader.Loaded CATALOG = CatalogLoader.load(null);
    private static final WorkloadSpec SPEC = new WorkloadSpec(42, 200, START, Duration.ofHours(12), 0.01, 0.02, 0.005);
    private static final int STEPS_PER_DAY = 2;

    private static CollectingSink big;
    private static WorkloadGenerator bigGenerator;

    @BeforeAll
    static void runBig() {
        bigGenerator = new WorkloadGenerator(SPEC, CATALOG, Clock.fixed(BOUND, ZoneOffset.UTC));
        big = new CollectingSink();
        // Asks for more steps than the bound allows: the generator must stop at the bound.
        int ran = bigGenerator.run(big, DAYS * STEPS_PER_DAY + 50);
        assertThat(ran).isEqualTo(DAYS * STEPS_PER_DAY);
    }

    private static CollectingSink run(WorkloadSpec spec, int steps) {
        CollectingSink sink = new CollectingSink();
        new WorkloadGenerator(spec, CATALOG, Clock.fixed(BOUND, ZoneOffset.UTC)).run(sink, steps);
        return sink;
    }

    @Test
    void sameSeedGivesTheSameRecords() {
        WorkloadSpec spec = SPEC.withAccounts(30).withMalformedShare(0.05).withDuplicateShare(0.05);
        CollectingSink a = run(spec, 120);
        CollectingSink b = run(spec, 120);
        assertThat(a.all).hasSizeGreaterThan(1000);
        assertThat(b.all).isEqualTo(a.all); // SpecificRecord equals compares every field
        assertThat(b.raw).hasSameSizeAs(a.raw);
        for (int i = 0; i < a.raw.size(); i++) {
            assertThat(b.raw.get(i).value()).isEqualTo(a.raw.get(i).value());
            assertThat(b.raw.get(i).kind()).isEqualTo(a.raw.get(i).kind());
        }
    }

    @Test
    void differentSeedGivesDifferentRecords() {
        CollectingSink a = run(SPEC.withAccounts(30), 60);
        CollectingSink b = run(SPEC.withAccounts(30).withSeed(43), 60);
        assertThat(ids(b.all)).doesNotContainAnyElementsOf(ids(a.all)); // the seed is in the ids
        assertThat(quantities(b.usage)).isNotEqualTo(quantities(a.usage));
    }

    @Test
    void everySubscriptionEventTypeOccurs() {
        Set<SubscriptionEventType> seen = big.subscriptions.stream().filter(WorkloadGeneratorTest::valid)
                .map(SubscriptionEvent::getType).collect(Collectors.toCollection(() -> EnumSet.noneOf(SubscriptionEventType.class)));
        assertThat(seen).containsExactlyInAnyOrder(SubscriptionEventType.values());
        Set<EngagementType> engaged = big.engagement.stream().filter(WorkloadGeneratorTest::valid)
                .map(EngagementEvent::getType).collect(Collectors.toCollection(() -> EnumSet.noneOf(EngagementType.class)));
        assertThat(engaged).containsExactlyInAnyOrder(EngagementType.values());
    }

    @Test
    void everyAccountIsCreatedOnceAndScheduledCancellationsLieInTheFuture() {
        Map<String, Long> created = big.subscriptions.stream().filter(WorkloadGeneratorTest::valid)
                .filter(e -> e.getType() == SubscriptionEventType.CREATED)
                .collect(Collectors.groupingBy(SubscriptionEvent::getAccountId, Collectors.mapping(
                        SubscriptionEvent::getEventId, Collectors.collectingAndThen(Collectors.toSet(), s -> (long) s.size()))));
        // About a third of the accounts sign up over 150 days, so a few are not customers yet.
        assertThat(created).hasSizeBetween(170, 200).allSatisfy((acct, n) -> assertThat(n).isEqualTo(1L));
        Set<String> active = big.all.stream().filter(WorkloadGeneratorTest::valid)
                .map(r -> r.get(r.getSchema().getField("accountId").pos()).toString()).collect(Collectors.toSet());
        assertThat(active).isEqualTo(created.keySet()); // nobody acts before signing up
        big.subscriptions.stream().filter(WorkloadGeneratorTest::valid)
                .filter(e -> e.getType() == SubscriptionEventType.CANCELLATION_SCHEDULED)
                .forEach(e -> assertThat(e.getEffectiveAt()).isAfter(e.getOccurredAt()));
    }

    @Test
    void someAccountsUseAtLeast80PercentOfALimit() {
        Map<String, String> plan = new HashMap<>();
        Set<String> near = new HashSet<>();
        Map<String, Long> monthToDate = new HashMap<>();
        // Replays in send order (event-time order apart from the out-of-order share).
        for (SpecificRecord r : big.all) {
            if (r instanceof SubscriptionEvent e && valid(e)) {
                plan.put(e.getAccountId(), e.getPlanId());
            } else if (r instanceof UsageEvent u && valid(u) && plan.containsKey(u.getAccountId())) {
                Long limit = CATALOG.catalog().plan(plan.get(u.getAccountId())).orElseThrow().limits().get(u.getMetric());
                long usage = u.getQuantity();
                if (u.getKind() == UsageKind.DELTA) {
                    String key = u.getAccountId() + "/" + u.getMetric() + "/" + YearMonth.from(u.getOccurredAt().atZone(ZoneOffset.UTC));
                    usage = monthToDate.merge(key, u.getQuantity(), Long::sum);
                }
                if (limit != null && usage >= 0.8 * limit) {
                    near.add(u.getAccountId() + "/" + u.getMetric());
                }
            }
        }
        assertThat(near.stream().filter(k -> k.endsWith("/api_calls")).count()).isGreaterThanOrEqualTo(5);
        assertThat(near.stream().filter(k -> k.endsWith("/storage_gb")).count()).isGreaterThanOrEqualTo(5);
        // ... but not everybody: most accounts stay comfortably within their plan.
        assertThat(near.stream().map(k -> k.substring(0, k.indexOf('/'))).distinct().count()).isLessThan(120);
    }

    @Test
    void duplicateAndMalformedSharesAreCloseToTheConfiguredOnes() {
        Set<String> seen = new HashSet<>();
        long duplicates = big.all.stream().filter(r -> !seen.add(eventId(r))).count();
        long malformed = big.raw.size() + big.all.stream().filter(r -> MalformedKind.fromEventId(eventId(r)).isPresent()).count();
        double total = big.records();
        assertThat(total).isGreaterThan(100_000);
        assertThat(duplicates / total).isBetween(0.008, 0.012);
        assertThat(malformed / total).isBetween(0.004, 0.006);
        EnumSet<MalformedKind> kinds = EnumSet.noneOf(MalformedKind.class);
        big.raw.forEach(r -> kinds.add(r.kind()));
        big.all.forEach(r -> MalformedKind.fromEventId(eventId(r)).ifPresent(kinds::add));
        assertThat(kinds).containsExactlyInAnyOrder(MalformedKind.values());
    }

    @Test
    void duplicatesAreIdenticalRecords() {
        Map<String, SpecificRecord> first = new HashMap<>();
        int dups = 0;
        for (SpecificRecord r : big.all) {
            SpecificRecord before = first.putIfAbsent(eventId(r), r);
            if (before != null) {
                assertThat(r).isEqualTo(before);
                dups++;
            }
        }
        assertThat(dups).isPositive();
    }

    @Test
    void someEventsArriveOutOfOrderByAtMostThreeHours() {
        Map<String, Instant> latest = new HashMap<>();
        int late = 0;
        Duration worst = Duration.ZERO;
        for (SpecificRecord r : big.all) {
            if (MalformedKind.fromEventId(eventId(r)).isPresent()) {
                continue;
            }
            Instant at = occurredAt(r);
            Instant max = latest.merge(topicOf(r), at, (x, y) -> x.isAfter(y) ? x : y);
            if (at.isBefore(max)) {
                late++;
                Duration behind = Duration.between(at, max);
                worst = behind.compareTo(worst) > 0 ? behind : worst;
            }
        }
        double share = late / (double) big.all.size();
        // Only the shifted ones (2 %) and a few neighbours they overtake are behind the maximum.
        assertThat(share).isBetween(0.01, 0.04);
        assertThat(worst).isLessThanOrEqualTo(WorkloadGenerator.MAX_OUT_OF_ORDER);
    }

    @Test
    void everyValidEventPassesTheJobsValidation() {
        InputValidator validator = validator();
        long now = BOUND.toEpochMilli();
        // Collected, not asserted one by one: AssertJ per record would dominate the test time.
        List<String> failures = big.all.stream().filter(WorkloadGeneratorTest::valid)
                .flatMap(r -> check(validator, r, now).map(v -> v + " " + r).stream()).toList();
        assertThat(failures).isEmpty();
    }

    @Test
    void everyDecodableMalformedKindFailsValidationWithItsReason() {
        InputValidator validator = validator();
        long now = BOUND.toEpochMilli();
        int checked = 0;
        for (SpecificRecord r : big.all) {
            Optional<MalformedKind> kind = MalformedKind.fromEventId(eventId(r));
            if (kind.isPresent()) {
                assertThat(kind.get().decodable()).isTrue();
                assertThat(check(validator, r, now)).as("%s", r).map(Violation::reason).contains(kind.get().expectedReason());
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    @Test
    void undecodableKindsAreBrokenTheWayTheyClaim() {
        assertThat(big.raw).isNotEmpty();
        for (CollectingSink.Raw r : big.raw) {
            assertThat(r.kind().decodable()).isFalse();
            assertThat(r.topicKind()).isIn("subscription", "usage", "engagement");
            assertThat(r.key()).matches("acct-\\d{5}");
            switch (r.kind()) {
                case GARBAGE_BYTES -> assertThat(ConfluentWireFormat.headerProblem(r.value())).isNotNull();
                case UNKNOWN_SCHEMA_ID -> assertThat(ConfluentWireFormat.readSchemaId(r.value()))
                        .isEqualTo(MalformedKind.UNKNOWN_SCHEMA_ID_VALUE);
                case TRUNCATED_AVRO -> assertThat(ConfluentWireFormat.readSchemaId(r.value()))
                        .isEqualTo(Malformer.WRITER_SCHEMA_PLACEHOLDER_ID);
                default -> throw new AssertionError("typed kind sent raw: " + r.kind());
            }
        }
    }

    @Test
    void simulatedTimeNeverPassesTheBound() {
        assertThat(bigGenerator.simulatedNow()).isEqualTo(BOUND);
        assertThat(bigGenerator.tick(new CollectingSink())).isFalse();
        Instant earliest = START.minus(WorkloadGenerator.MAX_OUT_OF_ORDER);
        List<SpecificRecord> outside = big.all.stream()
                .filter(r -> MalformedKind.fromEventId(eventId(r)).filter(k -> k == MalformedKind.FAR_FUTURE).isEmpty())
                .filter(r -> occurredAt(r).isBefore(earliest) || occurredAt(r).isAfter(BOUND)).toList();
        assertThat(outside).isEmpty();
        // The far-future kind is the one deliberate exception.
        assertThat(big.all.stream().filter(r -> occurredAt(r).isAfter(BOUND)))
                .allSatisfy(r -> assertThat(MalformedKind.fromEventId(eventId(r))).contains(MalformedKind.FAR_FUTURE));
    }

    @Test
    void aCohortSignsUpWithinItsWindowAsTheSameAccounts() {
        WorkloadSpec usual = SPEC.withAccounts(60).withDuplicateShare(0).withOutOfOrderShare(0).withMalformedShare(0);
        WorkloadSpec cohort = usual.withSignupWindow(Duration.ofHours(1));
        // The usual spread takes up to 150 days to create everyone; the cohort is complete after its first step.
        Map<String, SubscriptionEvent> cohortCreated = created(run(cohort, 1));
        assertThat(cohortCreated).hasSize(60);
        assertThat(cohortCreated.values()).allSatisfy(e -> assertThat(e.getOccurredAt())
                .isBetween(START, START.plus(Duration.ofHours(1))));
        Map<String, SubscriptionEvent> usualCreated = created(run(usual, DAYS * STEPS_PER_DAY));
        assertThat(cohortCreated.keySet()).containsAll(usualCreated.keySet());
        assertThat(usualCreated).hasSizeGreaterThan(40);
        assertThat(usualCreated.values().stream().map(SubscriptionEvent::getOccurredAt).max(Instant::compareTo).orElseThrow())
                .isAfter(START.plus(Duration.ofDays(30)));
        // the same seed draws the same accounts: only when they sign up differs
        usualCreated.forEach((acct, u) -> {
            SubscriptionEvent e = cohortCreated.get(acct);
            assertThat(List.of(e.getPlanId(), e.getSegment(), e.getCurrency(), e.getBillingInterval(), e.getQuantity()))
                    .isEqualTo(List.of(u.getPlanId(), u.getSegment(), u.getCurrency(), u.getBillingInterval(), u.getQuantity()));
        });
    }

    @Test
    void aNegativeSignupWindowIsRefused() {
        assertThatThrownBy(() -> SPEC.withSignupWindow(Duration.ofHours(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("signupWindow");
    }

    private static Map<String, SubscriptionEvent> created(CollectingSink sink) {
        return sink.subscriptions.stream().filter(e -> e.getType() == SubscriptionEventType.CREATED)
                .collect(Collectors.toMap(SubscriptionEvent::getAccountId, e -> e));
    }

    @Test
    void accountsSpreadOverSegmentsCurrenciesAndIntervals() {
        List<SubscriptionEvent> created = big.subscriptions.stream()
                .filter(e -> e.getType() == SubscriptionEventType.CREATED && valid(e)).toList();
        Map<Object, Long> bySegment = created.stream().collect(Collectors.groupingBy(SubscriptionEvent::getSegment, Collectors.counting()));
        long total = bySegment.values().stream().mapToLong(Long::longValue).sum();
        assertThat(bySegment.get(io.expansionsignals.schema.Segment.SMB) / (double) total).isBetween(0.6, 0.8);
        assertThat(bySegment).containsKeys(io.expansionsignals.schema.Segment.values());
        assertThat(created.stream().map(SubscriptionEvent::getCurrency).collect(Collectors.toSet())).contains("USD", "EUR", "GBP");
        assertThat(created.stream().map(SubscriptionEvent::getBillingInterval).distinct().count()).isEqualTo(3);
        assertThat(created.stream().map(SubscriptionEvent::getPlanId).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("starter", "growth", "business", "enterprise");
    }

    private static InputValidator validator() {
        return new InputValidator(EngineSettings.builder().catalog(CATALOG.catalog()).fx(CATALOG.fx()).build());
    }

    private static Optional<Violation> check(InputValidator v, SpecificRecord r, long now) {
        if (r instanceof SubscriptionEvent e) {
            // structural checks at decoding, then the catalog checks the keyed operator makes
            return v.check(e, now).or(() -> v.checkCatalog(e));
        }
        if (r instanceof UsageEvent e) {
            return v.check(e, now);
        }
        return v.check((EngagementEvent) r, now);
    }

    private static boolean valid(SpecificRecord r) {
        return MalformedKind.fromEventId(eventId(r)).isEmpty();
    }

    private static String eventId(SpecificRecord r) {
        return r.get(r.getSchema().getField("eventId").pos()).toString();
    }

    private static Instant occurredAt(SpecificRecord r) {
        return (Instant) r.get(r.getSchema().getField("occurredAt").pos());
    }

    private static String topicOf(SpecificRecord r) {
        return r.getClass().getSimpleName();
    }

    private static Set<String> ids(List<SpecificRecord> records) {
        return records.stream().map(WorkloadGeneratorTest::eventId).collect(Collectors.toSet());
    }

    private static List<Long> quantities(List<UsageEvent> usage) {
        return usage.stream().map(UsageEvent::getQuantity).toList();
    }
}
