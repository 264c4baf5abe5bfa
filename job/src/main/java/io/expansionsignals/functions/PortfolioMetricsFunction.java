package io.expansionsignals.functions;

import io.expansionsignals.domain.PeriodDelta;
import io.expansionsignals.domain.PeriodTotals;
import io.expansionsignals.domain.UsagePeriod;
import io.expansionsignals.schema.PortfolioMetrics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Portfolio metrics per period, keyed by segment (every movement is summed once under its segment
 * and once under "ALL" by {@link PeriodDeltaOperator}): the sums accumulate in their
 * period's {@link PeriodTotals}; when the watermark passes the period's end it closes with
 * start = the previous period's end, and is emitted. A movement for a closed period is folded in
 * and the period, and every later closed period whose start it shifts, is re-emitted with a
 * higher revision. A period with MRR but no movements still closes (start = end).
 */
public class PortfolioMetricsFunction extends KeyedProcessFunction<String, PeriodDelta, PortfolioMetrics> {
    private static final long serialVersionUID = 1L;
    /** Closed periods kept for corrections: two years of months. */
    static final int RETAINED_CLOSED_PERIODS = 24;

    private final UsagePeriod period;
    private final String reportingCurrency;
    private transient MapState<Long, PeriodTotals> periods;
    private transient MapState<String, Boolean> expanded;
    private transient ValueState<Long> lastClosed;
    private transient Counter uncorrectable;

    public PortfolioMetricsFunction(UsagePeriod period, String reportingCurrency) {
        this.period = period;
        this.reportingCurrency = reportingCurrency;
    }

    public static final String ALL = "ALL";

    @Override
    public void open(OpenContext openContext) {
        periods = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("periods", Types.LONG, TypeInformation.of(PeriodTotals.class)));
        expanded = getRuntimeContext().getMapState(new MapStateDescriptor<>("expanded-accounts", Types.STRING, Types.BOOLEAN));
        lastClosed = getRuntimeContext().getState(new ValueStateDescriptor<>("last-closed-period", Types.LONG));
        uncorrectable = getRuntimeContext().getMetricGroup().addGroup("expansion_signals")
                .counter("uncorrectable_late_movements");
    }

    @Override
    public void processElement(PeriodDelta d, Context ctx, Collector<PortfolioMetrics> out) throws Exception {
        long p = d.periodStart;
        Long last = lastClosed.value();
        PeriodTotals totals = periods.get(p);
        if (last != null && p <= last) {
            if (totals == null) {
                uncorrectable.inc(d.movements); // older than the retained history: counted, cannot be re-emitted
                return;
            }
            apply(d, p, totals);
            totals.lateMovements += d.movements;
            periods.put(p, totals);
            reemitFrom(p, last, ctx.getCurrentKey(), out);
            return;
        }
        if (totals == null) {
            totals = new PeriodTotals();
        }
        apply(d, p, totals);
        periods.put(p, totals);
        ctx.timerService().registerEventTimeTimer(period.endOf(p) - 1);
    }

    private void apply(PeriodDelta d, long p, PeriodTotals totals) throws Exception {
        totals.addFlows(d.flows);
        for (String account : d.expandedAccounts) {
            String key = p + "|" + account;
            if (!expanded.contains(key)) {
                expanded.put(key, Boolean.TRUE);
                totals.expandedAccounts++;
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<PortfolioMetrics> out) throws Exception {
        List<Long> due = new ArrayList<>();
        for (Long p : periods.keys()) {
            if (!periods.get(p).closed && period.endOf(p) - 1 <= timestamp) {
                due.add(p);
            }
        }
        due.sort(Long::compare);
        for (long p : due) {
            PeriodTotals totals = periods.get(p);
            Long last = lastClosed.value();
            PeriodTotals previous = last == null ? null : periods.get(last);
            totals.startMrr = previous == null ? 0 : previous.endMrr();
            totals.activeAtStart = previous == null ? 0 : previous.activeAtEnd();
            totals.closed = true;
            periods.put(p, totals);
            lastClosed.update(p);
            out.collect(toRecord(p, ctx.getCurrentKey(), totals));
            long next = period.endOf(p);
            // Not at the end of input (watermark at the end of time): the chain of quiet periods would never end.
            boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
            if (totals.endMrr() > 0 && !endOfInput && !periods.contains(next)) {
                periods.put(next, new PeriodTotals()); // a quiet period with revenue still gets its record
                ctx.timerService().registerEventTimeTimer(period.endOf(next) - 1);
            }
            prune(p);
        }
    }

    /** Re-emits period {@code from} and every later closed period, chaining start = previous end. */
    private void reemitFrom(long from, long last, String segment, Collector<PortfolioMetrics> out) throws Exception {
        List<Long> closed = new ArrayList<>();
        for (Long p : periods.keys()) {
            if (p >= from && p <= last && periods.get(p).closed) {
                closed.add(p);
            }
        }
        closed.sort(Long::compare);
        PeriodTotals previous = null;
        for (long p : closed) {
            PeriodTotals t = periods.get(p);
            if (previous != null) {
                t.startMrr = previous.endMrr();
                t.activeAtStart = previous.activeAtEnd();
            }
            t.revision++;
            periods.put(p, t);
            out.collect(toRecord(p, segment, t));
            previous = t;
        }
    }

    private void prune(long newestClosed) throws Exception {
        List<Long> old = new ArrayList<>();
        for (Long p : periods.keys()) {
            if (periods.get(p).closed && p < newestClosed && countClosedAfter(p) >= RETAINED_CLOSED_PERIODS) {
                old.add(p);
            }
        }
        for (long p : old) {
            periods.remove(p);
            List<String> keys = new ArrayList<>();
            for (String k : expanded.keys()) {
                if (k.startsWith(p + "|")) {
                    keys.add(k);
                }
            }
            for (String k : keys) {
                expanded.remove(k);
            }
        }
    }

    private int countClosedAfter(long p) throws Exception {
        int n = 0;
        for (Long q : periods.keys()) {
            if (q > p && periods.get(q).closed) {
                n++;
            }
        }
        return n;
    }

    private PortfolioMetrics toRecord(long p, String segment, PeriodTotals t) {
        return PortfolioMetrics.newBuilder()
                .setPeriodStart(Instant.ofEpochMilli(p))
                .setPeriodEnd(Instant.ofEpochMilli(period.endOf(p)))
                .setSegment(segment)
                .setRevision(t.revision)
                .setReportingCurrency(reportingCurrency)
                .setStartMrrMinor(t.startMrr)
                .setNewMrrMinor(t.newMrr)
                .setExpansionMinor(t.expansion)
                .setContractionMinor(t.contraction)
                .setChurnMinor(t.churn)
                .setReactivationMinor(t.reactivation)
                .setEndMrrMinor(t.endMrr())
                .setNrr(t.nrr())
                .setGrr(t.grr())
                .setExpansionRate(t.expansionRate())
                .setNetMrrChurnRate(t.netMrrChurnRate())
                .setNegativeChurn(t.negativeChurn())
                .setQuickRatio(t.quickRatio())
                .setCustomerExpansionRate(t.customerExpansionRate())
                .setActiveAtStart(t.activeAtStart)
                .setExpandedAccounts(t.expandedAccounts)
                .setLateMovements(t.lateMovements)
                .build();
    }
}
