package io.expansionsignals.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The test registry's port check, without a registry. */
class EmbeddedSchemaRegistryTest {

    @Test
    void aPortIsHeldByAnotherProcessExactlyWhileSomethingListensOnIt() throws Exception {
        int port;
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            port = listener.getLocalPort();
            assertThat(EmbeddedSchemaRegistry.heldByAnotherProcess(port)).isTrue();
        }
        assertThat(EmbeddedSchemaRegistry.heldByAnotherProcess(port)).isFalse();
    }
}
