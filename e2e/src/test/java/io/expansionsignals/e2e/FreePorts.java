package io.expansionsignals.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Finds ports that are free right now on the loopback interface.
 *
 * <p>Fixed ports (8081, 6123, 9249) would make two builds on the same machine, or a leftover
 * cluster from a crashed run, collide; asking the OS for an ephemeral port and closing it again
 * leaves a tiny race, which is far less likely than those collisions.
 */
final class FreePorts {

    private FreePorts() {}

    static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }
}
