package io.expansionsignals.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.expansionsignals.schema.ChurnRiskSignal;
import io.expansionsignals.schema.ExpansionSignal;
import io.expansionsignals.schema.MrrMovement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue #6 (2), engine level: the same logical input delivered with producer retries and with
 * accounts interleaved differently gives the very same signals (whole records, ids included),
 * risk signals and MRR movements as the clean delivery. Each account's own events keep their
 * order: per-account reordering legitimately changes outcomes (a gauge reading overtaken by an
 * older one, a threshold crossed before or after a plan change), and Kafka keeps per-key order
 * within a topic anyway. The Flink-level twin is {@link HostileInputPipelineTest}.
 */
class DuplicatesAndInterleavingDeterminismTest {
    @Test
    void retriesAndCrossAccountInterleavingChangeNoOutput() {
        int wanted = Integer.getInteger("reliability.determinism.events", HostileInputFuzzTest.LONG ? 1_000_000 : 40_000);
        List<SpecificRecord> clean = HostileInput.baseEvents(HostileInputFuzzTest.SEED + 2, wanted);
        SplittableRandom rng = new SplittableRandom(HostileInputFuzzTest.SEED + 3);

        // Arrival = event time + up to 3 h of jitter, never before the account's previous arrival.
        record Arrival(long at, int seq, SpecificRecord event) {}
        Map<String, Long> lastArrival = new HashMap<>();
        List<Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < clean.size(); i++) {
            SpecificRecord e = clean.get(i);
            long t = ((Instant) e.get(e.getSchema().getField("occurredAt").pos())).toEpochMilli() + rng.nextLong(0, 3 * 3_600_000L);
            long at = Math.max(t, lastArrival.getOrDefault(HostileInput.accountId(e), Long.MIN_VALUE));
            lastArrival.put(HostileInput.accountId(e), at);
            arrivals.add(new Arrival(at, i, e));
        }
        arrivals.sort(Comparator.comparingLong(Arrival::at).thenComparingInt(Arrival::seq));
        List<SpecificRecord> noisy = new ArrayList<>();
        arrivals.forEach(a -> noisy.add(a.event()));
        int retries = 0;
        for (int i = noisy.size() - 1; i >= 0; i--) {
            if (rng.nextDouble() < 0.1) { // a retry lands soon after, or much later
                int to = Math.min(noisy.size(), i + 1 + (rng.nextDouble() < 0.8 ? rng.nextInt(20) : rng.nextInt(5_000)));
                noisy.add(to, noisy.get(i));
                retries++;
            }
        }

        int moved = 0;
        for (int i = 0; i < arrivals.size(); i++) {
            moved += arrivals.get(i).seq() == i ? 0 : 1;
        }
        EngineReplay a = new EngineReplay(HostileInputFuzzTest.settings());
        clean.forEach(a::accept);
        EngineReplay b = new EngineReplay(HostileInputFuzzTest.settings());
        noisy.forEach(b::accept);
        System.out.printf("determinism: %,d events, %,d retries, interleaving changed at %,d positions: %,d expansion, "
                        + "%,d churn-risk signals, %,d movements in both runs%n", clean.size(), retries,
                moved, a.expansion.size(), a.churn.size(), a.movements.size());

        assertThat(b.duplicates).isEqualTo(retries);
        assertThat(b.applied).isEqualTo(a.applied).isEqualTo(clean.size());
        assertThat(a.expansion).isNotEmpty();
        assertThat(sorted(b.expansion, ExpansionSignal::getSignalId)).isEqualTo(sorted(a.expansion, ExpansionSignal::getSignalId));
        assertThat(sorted(b.churn, ChurnRiskSignal::getSignalId)).isEqualTo(sorted(a.churn, ChurnRiskSignal::getSignalId));
        assertThat(sorted(b.movements, MrrMovement::toString)).isEqualTo(sorted(a.movements, MrrMovement::toString));
    }

    private static <T> List<T> sorted(List<T> list, java.util.function.Function<T, String> key) {
        List<T> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparing(key));
        return copy;
    }
}
