package io.expansionsignals.local;

import io.expansionsignals.io.registry.ConfluentAvroDecoder;
import io.expansionsignals.io.registry.RegistrySettings;
import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.DeadLetter;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.HealthReason;
import io.expansionsignals.schema.PortfolioMetrics;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints the output topics as a downstream consumer sees them (read_committed), one readable line
 * per signal: what fired, for whom, why, and what to do about it.
 */
final class SignalConsole implements Runnable {
    private final String bootstrap;
    private final String expansionTopic;
    private final String churnTopic;
    private final String deadLetterTopic;
    private final String portfolioTopic;
    private final RegistrySettings registry;
    private final PrintStream out;
    private volatile boolean running = true;

    SignalConsole(String bootstrap, String registryUrl, String expansionTopic, String churnTopic, String deadLetterTopic,
            String portfolioTopic, PrintStream out) {
        this.portfolioTopic = portfolioTopic;
        this.bootstrap = bootstrap;
        this.registry = RegistrySettings.of(registryUrl);
        this.expansionTopic = expansionTopic;
        this.churnTopic = churnTopic;
        this.deadLetterTopic = deadLetterTopic;
        this.out = out;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "local-signal-console");
        p.put("isolation.level", "read_committed");
        p.put("auto.offset.reset", "earliest");
        var expansion = new ConfluentAvroDecoder<>(ExpansionSignal.class, registry);
        var churn = new ConfluentAvroDecoder<>(ChurnRiskSignal.class, registry);
        var dead = new ConfluentAvroDecoder<>(DeadLetter.class, registry);
        var portfolio = new ConfluentAvroDecoder<>(PortfolioMetrics.class, registry);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(expansionTopic, churnTopic, deadLetterTopic, portfolioTopic));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.topic().equals(expansionTopic)) {
                        var d = expansion.decode(r.value());
                        out.println(d.isOk() ? format(d.record()) : "undecodable signal: " + d.detail());
                    } else if (r.topic().equals(churnTopic)) {
                        var d = churn.decode(r.value());
                        out.println(d.isOk() ? format(d.record()) : "undecodable signal: " + d.detail());
                    } else if (r.topic().equals(portfolioTopic)) {
                        var d = portfolio.decode(r.value());
                        // the console shows each period once, when it closes; corrections stay on the topic
                        if (d.isOk() && d.record().getSegment().equals("ALL") && d.record().getRevision() == 0) {
                            out.println(format(d.record()));
                        }
                    } else {
                        var d = dead.decode(r.value());
                        if (d.isOk()) {
                            out.printf("  dead letter  %-18s %s (%s p%d@%d)%n", d.record().getReason(), d.record().getDetail(),
                                    d.record().getSourceTopic(), d.record().getPartition(), d.record().getOffset());
                        }
                    }
                }
            }
        }
    }

    static String format(ExpansionSignal s) {
        String what = switch (s.getType()) {
            case USAGE_THRESHOLD, LIMIT_REACHED, SEAT_THRESHOLD -> String.format(Locale.ROOT, "%s at %.0f%% (%d of %d)",
                    s.getMetric(), 100 * s.getUtilisation(), s.getUsage(), s.getLimit());
            case FORECAST_BREACH -> s.getMetric() + " will reach " + s.getLimit() + " by " + s.getProjectedBreachAt();
            case FEATURE_GATE -> "premium feature '" + s.getFeature() + "' requested " + s.getUsage() + "x";
            case MILESTONE -> s.getMilestone();
        };
        String offer = s.getSuggestedPlanId() != null ? " -> " + s.getSuggestedPlanId() : "";
        String uplift = s.getMrrUpliftMinor() != null ? String.format(Locale.ROOT, " (+%s MRR)", money(s.getMrrUpliftMinor(),
                s.getReportingCurrency())) : "";
        return String.format(Locale.ROOT, "%s  EXPANSION %-16s %-10s %-60s | %s%s%s via %s, %s | MRR %s | health %s %s%s",
                s.getTriggeredAt().toString().substring(0, 16), s.getType(), s.getAccountId(), what, s.getPlay(), offer, uplift,
                s.getChannel(), s.getPriority(), money(s.getCurrentMrrMinor(), s.getReportingCurrency()),
                s.getHealth().getScore(), s.getHealth().getBand(), reasons(s.getHealth().getTopReasons()));
    }

    static String format(ChurnRiskSignal s) {
        return String.format(Locale.ROOT, "%s  CHURN-RISK %-15s %-10s %-60s | %s via %s, %s | MRR %s | health %s %s%s",
                s.getTriggeredAt().toString().substring(0, 16), s.getType(), s.getAccountId(),
                s.getScoreDrop() != null ? "score fell " + s.getScoreDrop() + " points in 30 days" : "", s.getPlay(),
                s.getChannel(), s.getPriority(), money(s.getCurrentMrrMinor(), s.getReportingCurrency()),
                s.getHealth().getScore(), s.getHealth().getBand(), reasons(s.getHealth().getTopReasons()));
    }

    static String format(PortfolioMetrics m) {
        return String.format(Locale.ROOT, "%s  PORTFOLIO  %s (rev %d)  MRR %s -> %s | new %s, expansion %s, contraction %s, churn %s,"
                        + " reactivation %s | NRR %s%% GRR %s%% quick ratio %s%s",
                m.getPeriodStart().toString().substring(0, 10), m.getSegment(), m.getRevision(),
                money(m.getStartMrrMinor(), m.getReportingCurrency()), money(m.getEndMrrMinor(), m.getReportingCurrency()),
                money(m.getNewMrrMinor(), ""), money(m.getExpansionMinor(), ""), money(m.getContractionMinor(), ""),
                money(m.getChurnMinor(), ""), money(m.getReactivationMinor(), ""), m.getNrr(), m.getGrr(), m.getQuickRatio(),
                m.getNegativeChurn() ? " | negative churn" : "");
    }

    private static String reasons(List<HealthReason> reasons) {
        if (reasons.isEmpty()) {
            return "";
        }
        return reasons.stream().map(r -> String.format(Locale.ROOT, "%s %+.1f", r.getComponent(), r.getImpact()))
                .collect(Collectors.joining(", ", " [", "]"));
    }

    private static String money(long minor, String currency) {
        return String.format(Locale.ROOT, "%s%,.2f", currency.isEmpty() ? "" : currency + " ", minor / 100.0);
    }
}
