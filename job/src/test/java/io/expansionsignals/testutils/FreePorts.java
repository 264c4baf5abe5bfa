package io.expansionsignals.testutils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds ports that are free right now, below the kernel's ephemeral range.
 *
 * <p>For servers a test starts in another process (the schema registry, a Flink cluster), which
 * must be told their port. Fixed ports (8081, 6123, 9249) would make two builds on the same
 * machine, or a leftover process from a crashed run, collide. A port the OS hands out for
 * {@code bind(0)} comes from the ephemeral range, the same range it takes local ports of outgoing
 * connections from, so any connection the tests open could take it before the child process binds
 * it: a CI run lost the JobManager's metric reporter so. Ports below that range are only ever taken by an explicit
 * bind, which leaves the race with other builds that picked the same random port, and a bind on
 * every interface (as the reporter and the REST server do) rules out what is listening now.
 */
public final class FreePorts {

    static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    /** Linux's default ephemeral range starts at 32768; below it, stay clear of the common 1xxxx services. */
    private static final int LOWEST = 20_000;
    private static final int DEFAULT_EPHEMERAL_START = 32_768;
    private static final int ATTEMPTS = 200;

    private FreePorts() {}

    public static int next() {
        int end = ephemeralStart();
        if (end - LOWEST < 1_000) {
            return anyEphemeral();
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = random.nextInt(LOWEST, end);
            if (isFree(port)) {
                return port;
            }
        }
        return anyEphemeral();
    }

    /** First port of the ephemeral range, from {@code /proc} where there is one. */
    static int ephemeralStart() {
        try {
            // Not Files.readString: it sizes its read by the file's size, which /proc reports as 0,
            // and returned "3" of "32768 60999" here.
            String[] bounds = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
            return Integer.parseInt(bounds[0]);
        } catch (IOException | RuntimeException notLinux) {
            return DEFAULT_EPHEMERAL_START;
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket wildcard = new ServerSocket()) {
            wildcard.bind(new InetSocketAddress(port), 1);
        } catch (IOException taken) {
            return false;
        }
        try (ServerSocket loopback = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }

    /** The old way, where the range is unknown or too small to leave room below it. */
    private static int anyEphemeral() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }
}
