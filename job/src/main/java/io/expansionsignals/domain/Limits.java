package io.expansionsignals.domain;

/**
 * Resolves the limit of a usage metric for an account: the sum over its active subscriptions of
 * the limit each one carries (from the event, else from the plan catalog). Any unlimited
 * subscription makes the metric unlimited; no subscription defining it means there is no limit.
 * Both cases return {@link #NONE}: such a metric never fires.
 */
public final class Limits {
    public static final long NONE = 0;

    private Limits() {}

    public static long of(AccountState account, String metric, PlanCatalog catalog) {
        long total = 0;
        for (SubscriptionState s : account.subscriptions.values()) {
            if (!s.active) {
                continue;
            }
            Long limit;
            if (!s.limits.isEmpty()) {
                limit = s.limits.get(metric);
            } else {
                Plan plan = catalog.planOrNull(s.planId);
                if (plan == null) {
                    continue;
                }
                limit = plan.limits().get(metric);
                if (limit == null) {
                    if (plan.limits().containsKey(metric)) {
                        return NONE; // mapped to null: unlimited
                    }
                    continue;
                }
            }
            if (limit == null) {
                continue;
            }
            if (limit == SubscriptionState.UNLIMITED) {
                return NONE;
            }
            total += limit;
        }
        return total;
    }
}
