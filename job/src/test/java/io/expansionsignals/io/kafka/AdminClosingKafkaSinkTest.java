package io.expansionsignals.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expansionsignals.testutils.ReliabilityHarness;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/** Closing the admin client a writer holds, on real (unconnected) Kafka clients. */
class AdminClosingKafkaSinkTest {

    /** Shaped as the connector's writer: the client in a private field of a superclass. */
    private static class WriterBase {
        @SuppressWarnings("unused")
        private Admin adminClient;
    }

    private static final class Writer extends WriterBase {}

    @Test
    void closesTheAdminClientAWriterLeftOpenAndItsThreadEnds() throws Exception {
        Writer writer = new Writer();
        Admin admin = Admin.create(Map.of("bootstrap.servers", "127.0.0.1:9", "client.id", "admin-closing-test"));
        setAdmin(writer, admin);
        assertThat(adminThreadAlive()).isTrue();

        AdminClosingKafkaSink.closeAdmin(writer);

        assertThat(getAdmin(writer)).isNull();
        ReliabilityHarness.await("the client's network thread to end", Duration.ofSeconds(10), () -> !adminThreadAlive());
    }

    @Test
    void aWriterWithoutAClientOrWithoutTheFieldIsLeftAsItIs() {
        AdminClosingKafkaSink.closeAdmin(new Writer()); // never opened one (no lingering transactions listed)
        AdminClosingKafkaSink.closeAdmin(new Object()); // a connector that renamed or dropped the field
        AdminClosingKafkaSink.closeAdmin(new Object() {
            @SuppressWarnings("unused")
            private final String adminClient = "not an Admin";
        });
    }

    @Test
    void wrapsOnlyKafkaSinks() {
        KafkaSink<String> kafka = KafkaSink.<String>builder().setBootstrapServers("127.0.0.1:9")
                .setRecordSerializer(KafkaRecordSerializationSchema.<String>builder().setTopic("t")
                        .setValueSerializationSchema(new org.apache.flink.api.common.serialization.SimpleStringSchema()).build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).setTransactionalIdPrefix("p").build();
        AdminClosingKafkaSink<String> wrapped = new AdminClosingKafkaSink<>(kafka);

        assertThat(new AdminClosingKafkaSink<>(wrapped).getWriterStateSerializer().getClass())
                .isEqualTo(kafka.getWriterStateSerializer().getClass());
        assertThat(wrapped.getCommittableSerializer().getClass()).isEqualTo(kafka.getCommittableSerializer().getClass());
        assertThatThrownBy(() -> new AdminClosingKafkaSink<String>(context -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a Kafka sink");
    }

    private static boolean adminThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().equals("kafka-admin-client-thread | admin-closing-test"));
    }

    private static void setAdmin(Writer writer, Admin admin) throws ReflectiveOperationException {
        var field = WriterBase.class.getDeclaredField("adminClient");
        field.setAccessible(true);
        field.set(writer, admin);
    }

    private static Object getAdmin(Writer writer) throws ReflectiveOperationException {
        var field = WriterBase.class.getDeclaredField("adminClient");
        field.setAccessible(true);
        return field.get(writer);
    }
}
