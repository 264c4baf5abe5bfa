package io.expansionsignals.testutils;

import io.expansionsignals.io.kafka.ForwardingKafkaSink;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;

/**
 * Wraps the job's real exactly-once Kafka sink: the writer throws once each time the number
 * of records written (over all subtasks and attempts) reaches one of the plan's thresholds, may
 * sleep per record (backpressure), and records which task attempts ran. Everything else (the
 * transactions, the committer, writer state) is the real sink's. The plan lives in a static map
 * because the sink is serialized into the MiniCluster in the same JVM.
 */
public final class FaultInjectingSink<T> extends ForwardingKafkaSink<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Plan> PLANS = new ConcurrentHashMap<>();

    /** What to do to the records passing through, and what happened. */
    public static final class Plan {
        private volatile List<Long> failAt;
        private final long sleepMillisPerRecord;
        public final AtomicLong written = new AtomicLong();
        public final AtomicInteger failuresInjected = new AtomicInteger();
        /** System.nanoTime() of each injected failure and of the first write of the attempt after it. */
        public final List<Long> failureNanos = new CopyOnWriteArrayList<>();
        public final List<Long> resumedNanos = new CopyOnWriteArrayList<>();
        public final AtomicInteger maxAttempt = new AtomicInteger();
        public final AtomicInteger writersOpened = new AtomicInteger();

        private Plan(List<Long> failAt, long sleepMillisPerRecord) {
            this.failAt = List.copyOf(failAt);
            this.sleepMillisPerRecord = sleepMillisPerRecord;
        }

        /** Adds one failure at the given total of records written (for a test that knows it only later). */
        public synchronized void arm(long atRecord) {
            List<Long> more = new java.util.ArrayList<>(failAt);
            more.add(atRecord);
            failAt = List.copyOf(more);
        }

        /** Recovery times: from each injected failure to the first record written after it. */
        public List<Long> recoveryMillis() {
            List<Long> out = new java.util.ArrayList<>();
            for (int i = 0; i < Math.min(failureNanos.size(), resumedNanos.size()); i++) {
                out.add((resumedNanos.get(i) - failureNanos.get(i)) / 1_000_000);
            }
            return out;
        }

        void beforeWrite(int attempt) throws IOException, InterruptedException {
            synchronized (this) {
                // the first record written by the attempt that followed failure number `attempt`
                if (attempt > resumedNanos.size() && attempt <= failureNanos.size()) {
                    resumedNanos.add(System.nanoTime());
                }
                long n = written.incrementAndGet();
                int k = failuresInjected.get();
                // one failure per attempt: failure k+1 only once attempt k runs, so each is its own restart
                if (k < failAt.size() && n >= failAt.get(k) && attempt >= k) {
                    failuresInjected.incrementAndGet();
                    failureNanos.add(System.nanoTime());
                    throw new IOException("injected failure #" + (k + 1) + " at record " + n);
                }
            }
            if (sleepMillisPerRecord > 0) {
                Thread.sleep(sleepMillisPerRecord);
            }
        }
    }

    public static Plan plan(String id, List<Long> failAt, long sleepMillisPerRecord) {
        Plan p = new Plan(failAt, sleepMillisPerRecord);
        PLANS.put(id, p);
        return p;
    }

    private final String planId;

    public FaultInjectingSink(org.apache.flink.api.connector.sink2.Sink<T> delegate, String planId) {
        super(delegate);
        this.planId = planId;
    }

    @Override
    protected ForwardingWriter<T> wrap(PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> writer,
            WriterInitContext context) {
        Plan plan = PLANS.get(planId);
        plan.writersOpened.incrementAndGet();
        int attempt = context.getTaskInfo().getAttemptNumber();
        plan.maxAttempt.accumulateAndGet(attempt, Math::max);
        return new ForwardingWriter<>(writer) {
            @Override
            public void write(T element, Context context) throws IOException, InterruptedException {
                plan.beforeWrite(attempt);
                super.write(element, context);
            }
        };
    }
}
