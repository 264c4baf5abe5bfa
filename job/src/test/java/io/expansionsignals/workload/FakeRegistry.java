package io.expansionsignals.workload;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Just enough of the Confluent API for producers: POST /subjects/{s}/versions returns an id per subject. */
final class FakeRegistry implements AutoCloseable {
    final Map<String, Integer> idsBySubject = new LinkedHashMap<>();
    private final HttpServer server;

    FakeRegistry() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/subjects/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            exchange.getRequestBody().readAllBytes();
            String subject = path.substring("/subjects/".length(), path.indexOf("/versions"));
            int id;
            synchronized (idsBySubject) {
                id = idsBySubject.computeIfAbsent(subject, s -> 100 + idsBySubject.size());
            }
            byte[] body = ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
