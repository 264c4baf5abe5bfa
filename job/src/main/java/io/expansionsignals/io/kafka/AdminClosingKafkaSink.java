package io.expansionsignals.io.kafka;

import java.lang.reflect.Field;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.kafka.sink.KafkaCommittable;
import org.apache.flink.connector.kafka.sink.KafkaWriterState;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connector's exactly-once sink, with the admin client its writer leaves open closed when the
 * writer closes.
 *
 * <p>With pooled transactional ids (the job's default) flink-connector-kafka 4.0-5.0's writer
 * opens an {@link Admin} at every start and restore, to list the transactions an earlier run left
 * open, and never closes it: each sink subtask leaked a client with its network thread
 * ({@code kafka-admin-client-thread | adminclient-N}) and its metadata requests every time the job
 * started or restarted in a task manager, six sinks times the parallelism per restart. The field is
 * reached by name; should a later connector rename it, or close the client itself, this does
 * nothing.
 */
public final class AdminClosingKafkaSink<T> extends ForwardingKafkaSink<T> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(AdminClosingKafkaSink.class);
    /** The connector's name for it (ExactlyOnceKafkaWriter.adminClient). */
    static final String FIELD = "adminClient";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    public AdminClosingKafkaSink(Sink<T> kafkaSink) {
        super(kafkaSink);
    }

    @Override
    protected ForwardingWriter<T> wrap(PrecommittingStatefulSinkWriter<T, KafkaWriterState, KafkaCommittable> writer,
            WriterInitContext context) {
        return new ForwardingWriter<>(writer) {
            @Override
            public void close() throws Exception {
                try {
                    super.close();
                } finally {
                    closeAdmin(delegate());
                }
            }
        };
    }

    /** Closes the admin client {@code writer} holds in a field named {@link #FIELD}, if it holds one. */
    static void closeAdmin(Object writer) {
        for (Class<?> c = writer.getClass(); c != null; c = c.getSuperclass()) {
            Field field;
            try {
                field = c.getDeclaredField(FIELD);
            } catch (NoSuchFieldException notHere) {
                continue;
            }
            if (!Admin.class.isAssignableFrom(field.getType())) {
                return;
            }
            try {
                field.setAccessible(true);
                Admin admin = (Admin) field.get(writer);
                if (admin != null) {
                    admin.close(CLOSE_TIMEOUT);
                    field.set(writer, null);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("Could not close the admin client of Kafka writer {}; it may stay open", writer.getClass().getName(), e);
            }
            return;
        }
    }
}
