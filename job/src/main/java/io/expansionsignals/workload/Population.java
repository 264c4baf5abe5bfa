package io.expansionsignals.workload;

import io.expansionsignals.domain.FxRates;
import io.expansionsignals.domain.Plan;
import io.expansionsignals.schema.BillingInterval;
import io.expansionsignals.schema.Segment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws the accounts: segment mix 70/22/8 %, plans by segment, mostly monthly small customers and
 * yearly enterprises, mostly USD. Usage at sign-up is a fraction of the plan's limits and grows at
 * an account-specific rate, so a minority of fast growers runs into limits within weeks.
 */
final class Population {
    private static final String[] CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CAD", "AUD"};
    private static final double[] CURRENCY_WEIGHTS = {0.75, 0.10, 0.07, 0.04, 0.02, 0.02};
    /** Fallbacks for unlimited metrics (enterprise api_calls): a large customer's volume. */
    private static final double UNLIMITED_API_CALLS = 20_000_000;
    private static final double UNLIMITED_STORAGE = 20_000;

    private Population() {}

    static List<SimAccount> draw(SplittableRandom rng, WorkloadSpec spec, List<Plan> plans, FxRates fx) {
        List<SimAccount> out = new ArrayList<>(spec.accounts());
        for (int i = 1; i <= spec.accounts(); i++) {
            out.add(one(rng, spec, plans, fx, String.format("acct-%05d", i)));
        }
        return out;
    }

    private static SimAccount one(SplittableRandom rng, WorkloadSpec spec, List<Plan> plans, FxRates fx, String id) {
        double s = rng.nextDouble();
        Segment segment = s < 0.70 ? Segment.SMB : s < 0.92 ? Segment.MID_MARKET : Segment.ENTERPRISE;
        int last = plans.size() - 1;
        int planIndex = Math.min(last, switch (segment) {
            case SMB -> rng.nextDouble() < 0.7 ? 0 : 1;
            case MID_MARKET -> rng.nextDouble() < 0.6 ? 1 : 2;
            case ENTERPRISE -> rng.nextDouble() < 0.5 ? 2 : 3;
        });
        int seats = switch (segment) {
            case SMB -> rng.nextInt(1, 11);
            case MID_MARKET -> rng.nextInt(10, 61);
            case ENTERPRISE -> rng.nextInt(50, 401);
        };
        BillingInterval interval = interval(rng, segment);
        String currency = currency(rng, fx);
        // Most sign up in the first month; the rest trickle in so new accounts keep arriving. A cohort
        // draws the same numbers (a cohort of a seed is the usual population, signed up together).
        long window = rng.nextDouble() < 0.65 ? Duration.ofDays(30).toMillis() : Duration.ofDays(150).toMillis();
        if (spec.cohort()) {
            window = Math.max(1, spec.signupWindow().toMillis());
        }
        Instant signup = spec.start().plusMillis(rng.nextLong(window));
        double g = growth(rng);
        Plan plan = plans.get(planIndex);
        double api = limitOr(plan, "api_calls", UNLIMITED_API_CALLS) * rng.nextDouble(0.15, 0.65);
        double storage = limitOr(plan, "storage_gb", UNLIMITED_STORAGE) * rng.nextDouble(0.10, 0.60);
        double projects = limitOr(plan, "projects", 200) * rng.nextDouble(0.10, 0.50);
        double users = seats * rng.nextDouble(0.45, 0.90);
        SimAccount a = new SimAccount(id, segment, currency, signup, g, api, storage, users, projects,
                rng.nextInt(2, 11));
        a.planIndex = planIndex;
        a.seats = seats;
        a.interval = interval;
        a.happiness = rng.nextDouble() < 0.78 ? rng.nextDouble(0.5, 1.0) : rng.nextDouble(0.05, 0.45);
        return a;
    }

    /** Monthly growth: a few decline, most are flat or moderate, ~17 % grow fast. */
    private static double growth(SplittableRandom rng) {
        double r = rng.nextDouble();
        if (r < 0.06) {
            return rng.nextDouble(-0.08, -0.01);
        }
        if (r < 0.45) {
            return rng.nextDouble(0.0, 0.04);
        }
        if (r < 0.83) {
            return rng.nextDouble(0.04, 0.12);
        }
        return rng.nextDouble(0.15, 0.40);
    }

    private static BillingInterval interval(SplittableRandom rng, Segment segment) {
        double r = rng.nextDouble();
        double monthly = switch (segment) { case SMB -> 0.75; case MID_MARKET -> 0.5; case ENTERPRISE -> 0.1; };
        double quarterly = switch (segment) { case SMB -> 0.10; case MID_MARKET -> 0.3; case ENTERPRISE -> 0.2; };
        return r < monthly ? BillingInterval.MONTHLY
                : r < monthly + quarterly ? BillingInterval.QUARTERLY : BillingInterval.YEARLY;
    }

    private static String currency(SplittableRandom rng, FxRates fx) {
        double r = rng.nextDouble();
        double acc = 0;
        for (int i = 0; i < CURRENCIES.length; i++) {
            acc += CURRENCY_WEIGHTS[i];
            if (r < acc) {
                // A catalog without this rate would make every event of the account invalid.
                return fx.knows(CURRENCIES[i]) ? CURRENCIES[i] : fx.reportingCurrency();
            }
        }
        return fx.reportingCurrency();
    }

    private static double limitOr(Plan plan, String metric, double fallback) {
        Long limit = plan.limits().get(metric);
        return limit == null ? fallback : limit;
    }
}
