package io.expansionsignals.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The test registry's own start-up, against the real server built by registry/. */
class EmbeddedSchemaRegistryITCase {

    /**
     * A free port is found by binding and releasing it, and another process can take it first (a
     * CI run failed so); the registry then starts on the next port it is offered.
     */
    @Test
    void aPortTakenBeforeTheRegistryBindsItMovesItToTheNext() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int free;
            try (ServerSocket probe = new ServerSocket(0)) {
                free = probe.getLocalPort();
            }
            int[] offered = {taken.getLocalPort(), free};
            AtomicInteger asked = new AtomicInteger();
            try (EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(() -> offered[asked.getAndIncrement()])) {
                assertThat(asked.get()).isEqualTo(2);
                assertThat(registry.port()).isEqualTo(free);
                assertThat(registry.isRunning()).isTrue();
            }
        }
    }
}
