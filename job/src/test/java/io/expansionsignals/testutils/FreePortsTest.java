package io.expansionsignals.testutils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;

class FreePortsTest {

    @RepeatedTest(20)
    void portsComeFromBelowTheEphemeralRangeAndCanBeBound() throws Exception {
        assumeThat(Files.isReadable(FreePorts.EPHEMERAL_RANGE)).as("Linux /proc").isTrue();
        int start = FreePorts.ephemeralStart();
        assumeThat(start).as("room below the ephemeral range").isGreaterThan(21_000);

        int port = FreePorts.next();

        assertThat(port).isBetween(20_000, start - 1);
        try (ServerSocket bound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(bound.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void aPortSomeoneListensOnIsNotFree() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(FreePorts.isFree(held.getLocalPort())).isFalse();
        }
        int port = FreePorts.next();
        assertThat(FreePorts.isFree(port)).isTrue();
    }
}
