package io.expansionsignals.io.kafka;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.flink.connector.kafka.sink.TwoPhaseCommittingStatefulSink;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.connector.sink2.CommittableMessage;
import org.apache.flink.streaming.api.connector.sink2.SupportsPostCommitTopology;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.lineage.LineageVertex;
import org.apache.flink.streaming.api.lineage.LineageVertexProvider;

/**
 * A Kafka sink that is another one (the connector's {@code KafkaSink}, or a sink wrapping it) in
 * everything (transactions, committer, writer state, post-commit topology, lineage), except that
 * {@link #wrap} may stand in front of each writer. The writer state and committables stay the
 * connector's, so savepoints taken with or without a wrapper restore either way.
 */
public abstract class ForwardingKafkaSink<T> implements TwoPhaseCommittingStatefulSink<T, KafkaWriterState, KafkaCommittable>,
        SupportsPostCommitTopology<KafkaCommittable>, LineageVertexProvider {
    private static final long serialVersionUID = 1L;

    private final TwoPhaseCommittingStatefulSink<T, KafkaWriterState, KafkaCommittable> delegate;

    /** @param delegate the connector's KafkaSink or another {@code ForwardingKafkaSink} */
    @SuppressWarnings("unchecked") // KafkaSink<T> and ForwardingKafkaSink<T> fix the state and committable types
    protected ForwardingKafkaSink(org.apache.flink.api.connector.sink2.Sink<T> delegate) {
        if (!(delegate instanceof TwoPhaseCommittingStatefulSink<?, ?, ?>
                && delegate instanceof SupportsPostCommitTopology<?> && delegate instanceof LineageVertexProvider)) {
            throw new IllegalArgumentException("expected a Kafka sink (KafkaSink or a ForwardingKafkaSink), got "
                    + (delegate == null ? null : delegate.getClass()));
        }
        this.delegate = (TwoPhaseCommittingStatefulSink<T, KafkaWriterState, KafkaCommittable>) delegate;
    }

    /** What stands in front of a writer the delegate created or restored. */
    protected abstract ForwardingWriter<T> wrap(PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> writer,
            WriterInitContext context);

    @Override
    public final ForwardingWriter<T> createWriter(WriterInitContext context) throws IOException {
        return wrap(delegate.createWriter(context), context);
    }

    @Override
    public final ForwardingWriter<T> restoreWriter(WriterInitContext context, Collection<KafkaWriterState> recoveredState)
            throws IOException {
        return wrap(delegate.restoreWriter(context, recoveredState), context);
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
    @SuppressWarnings("unchecked")
    public void addPostCommitTopology(DataStream<CommittableMessage<KafkaCommittable>> committables) {
        ((SupportsPostCommitTopology<KafkaCommittable>) delegate).addPostCommitTopology(committables);
    }

    @Override
    public LineageVertex getLineageVertex() {
        return ((LineageVertexProvider) delegate).getLineageVertex();
    }

    /** A writer that passes every call on; subclasses override what they add to. */
    public static class ForwardingWriter<T> implements PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> {
        private final PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> delegate;

        public ForwardingWriter(PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> delegate) {
            this.delegate = delegate;
        }

        /** The writer this one passes calls to. */
        protected final PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> delegate() {
            return delegate;
        }

        @Override
        public void write(T element, Context context) throws IOException, InterruptedException {
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
