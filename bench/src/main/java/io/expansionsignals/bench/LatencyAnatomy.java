package io.expansionsignals.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What an exactly-once output's latency is made of, from each output's send, produce and receive
 * times and the checkpoints' completion times: how long the job took to produce it after its
 * input was sent, how long after the checkpoint that committed it completed it became visible
 * (the commit and the reader's fetch), and the share of outputs over a bound.
 *
 * <p>Why it matters: an output produced just after a barrier waits a whole interval for the next
 * checkpoint, so the slowest outputs take about interval + that checkpoint's duration + the time
 * to visibility (docs/performance.md, "What limits the latency"). This line shows which of the
 * three parts a run's tail came from.
 */
final class LatencyAnatomy {
    private final Percentiles produced = new Percentiles();
    private final Percentiles visibleAfterCompletion = new Percentiles();
    private final int outputs;
    private final int overBound;
    private final long boundMillis;

    /** Whether the outputs were committed by checkpoints (exactly-once), so their visibility after a completion means something. */
    private final boolean committed;

    /**
     * @param sent, produced, received per output, epoch ms (produced: the output record's timestamp, or -1)
     * @param completions the completion times of the checkpoints, epoch ms; null for outputs written without a
     *     transaction (at-least-once), which are visible once written
     * @param boundMillis the latency bound to count outputs over
     */
    LatencyAnatomy(List<long[]> outputs, long[] completions, long boundMillis) {
        this.committed = completions != null;
        long[] done = committed ? completions.clone() : new long[0];
        Arrays.sort(done);
        int over = 0;
        for (long[] o : outputs) {
            long sent = o[0];
            long made = o[1];
            long received = o[2];
            if (made >= 0) {
                produced.add(made - sent);
            }
            int i = Arrays.binarySearch(done, received);
            int latest = i >= 0 ? i : -i - 2; // the last completion at or before the receipt
            if (latest >= 0) {
                visibleAfterCompletion.add(received - done[latest]);
            }
            if (received - sent > boundMillis) {
                over++;
            }
        }
        this.outputs = outputs.size();
        this.overBound = over;
        this.boundMillis = boundMillis;
    }

    /** Percent of the outputs whose latency exceeded the bound. */
    double shareOverBound() {
        return outputs == 0 ? 0 : 100.0 * overBound / outputs;
    }

    long producedP50() {
        return produced.percentile(50);
    }

    long producedP99() {
        return produced.percentile(99);
    }

    long visibleP50() {
        return visibleAfterCompletion.percentile(50);
    }

    long visibleP90() {
        return visibleAfterCompletion.percentile(90);
    }

    String summary() {
        String produced = producedP50() < 0 ? "outputs' produce times unknown"
                : String.format(Locale.ROOT, "outputs produced p50 %d / p99 %d ms after their input was sent", producedP50(),
                        producedP99());
        String visible = committed ? String.format(Locale.ROOT,
                "visible p50 %d / p90 %d ms after the checkpoint that committed them completed", visibleP50(), visibleP90())
                : "visible once written (no transaction)";
        return String.format(Locale.ROOT, "%s; %s; %.1f %% over %,d ms", produced, visible, shareOverBound(), boundMillis);
    }
}
