package io.expansionsignals.reliability;

import com.sun.net.httpserver.HttpServer;
import io.expansionsignals.io.registry.RegistrySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * Just the lookup half of the Confluent API ({@code GET /schemas/ids/{id}}) in-process, so the real
 * {@link io.expansionsignals.io.kafka.InputRecordDeserializer} and registry client run unchanged
 * without a registry process. Unknown ids answer 404 / error_code 40403 like Confluent does.
 */
final class StubSchemaRegistry implements AutoCloseable {
    static {
        // Without TCP_NODELAY every lookup of an unknown id waits ~40 ms for a delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    final AtomicInteger requests = new AtomicInteger();

    StubSchemaRegistry(Map<Integer, Schema> schemas) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/schemas/ids/", exchange -> {
            requests.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            Schema schema = null;
            try {
                schema = schemas.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
            } catch (NumberFormatException ignored) {
                // falls through to 404
            }
            int status = schema == null ? 404 : 200;
            String json = schema == null ? "{\"error_code\":40403,\"message\":\"Schema not found\"}"
                    : "{\"schema\":" + quote(schema.toString()) + "}";
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    RegistrySettings settings() {
        return RegistrySettings.of("http://127.0.0.1:" + server.getAddress().getPort())
                .withRetryTotalTime(Duration.ofSeconds(5));
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
