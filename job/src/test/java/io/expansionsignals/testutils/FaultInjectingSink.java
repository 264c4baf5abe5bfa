package io.expansionsignals.testutils;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Wraps the job's real exactly-once {@link KafkaSink}: the writer throws once each time the number
 * of records written (over all subtasks and attempts) reaches one of the plan's thresholds, may
 * sleep per record (backpressure), and records which task attempts ran. Everything else (the
 * transactions, the committer, writer state) is the real sink's. The plan lives in a static map
 * because the sink is serialized into the MiniCluster in the same JVM.
 */
public final class FaultInjectingSink<T>
        implements TwoPhaseCommittingStatefulSink<T, KafkaWriterState, KafkaCommittable>, SupportsPostCommitTopology<KafkaCommittable> {
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

    private final KafkaSink<T> delegate;
    private final String planId;

    public FaultInjectingSink(org.apache.flink.api.connector.sink2.Sink<T> delegate, String planId) {
        if (!(delegate instanceof KafkaSink<T> kafka)) {
            throw new IllegalArgumentException("expected the job's KafkaSink, got " + delegate.getClass());
        }
        this.delegate = kafka;
        this.planId = planId;
    }

    private Plan plan() {
        return PLANS.get(planId);
    }

    @Override
    public PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> createWriter(WriterInitContext context)
            throws IOException {
        return new Writer<>(delegate.createWriter(context), plan(), context);
    }

    @Override
    public PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> restoreWriter(WriterInitContext context,
            Collection<KafkaWriterState> recoveredState) throws IOException {
        return new Writer<>(delegate.restoreWriter(context, recoveredState), plan(), context);
    }

    @Override
    public Committer<KafkaCommittable> createCommitter(CommitterInitContext context) throws IOException {
        return delegate.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<KafkaCommittable> getCommittableSerializer() {
        return delegate.getCommittableSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaWriterState> getWriterStateSerializer() {
        return delegate.getWriterStateSerializer();
    }

    @Override
    public void addPostCommitTopology(DataStream<CommittableMessage<KafkaCommittable>> committables) {
        delegate.addPostCommitTopology(committables);
    }

    private static final class Writer<T> implements PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> {
        private final PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> delegate;
        private final Plan plan;
        private final int attempt;

        Writer(PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> delegate, Plan plan,
                WriterInitContext context) {
            this.delegate = delegate;
            this.plan = plan;
            plan.writersOpened.incrementAndGet();
            attempt = context.getTaskInfo().getAttemptNumber();
            plan.maxAttempt.accumulateAndGet(attempt, Math::max);
        }

        @Override
        public void write(T element, Context context) throws IOException, InterruptedException {
            plan.beforeWrite(attempt);
            delegate.write(element, context);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            delegate.flush(endOfInput);
        }

        @Override
        public void writeWatermark(Watermark watermark) throws IOException, InterruptedException {
            delegate.writeWatermark(watermark);
        }

        @Override
        public List<KafkaWriterState> snapshotState(long checkpointId) throws IOException {
            return delegate.snapshotState(checkpointId);
        }

        @Override
        public Collection<KafkaCommittable> prepareCommit() throws IOException, InterruptedException {
            return delegate.prepareCommit();
        }

        @Override
        public void close() throws Exception {
            delegate.close();
        }
    }
}
