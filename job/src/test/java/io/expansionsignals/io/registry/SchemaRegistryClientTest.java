package io.expansionsignals.io.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How HTTP outcomes are classified (retry, unknown id, configuration error). Uses the JDK's
 * HTTP server to script exact status codes a real registry only gives in failure situations;
 * the behaviour against the real registry is covered by SchemaRegistryITCase.
 */
class SchemaRegistryClientTest {
  private static final String SCHEMA_JSON =
      "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"R\\\",\\\"fields\\\":[]}\"}";

  private HttpServer server;
  private final Deque<Object[]> replies = new ArrayDeque<>(); // {status, body}
  private final AtomicInteger requests = new AtomicInteger();
  private volatile String lastAuthorization;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop(0);
    }
  }

  private RegistrySettings scripted(Object[]... script) throws IOException {
    for (Object[] reply : script) {
      replies.add(reply);
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      lastAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
      Object[] reply = replies.isEmpty() ? new Object[] {500, "{}"} : replies.poll();
      byte[] body = ((String) reply[1]).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders((Integer) reply[0], body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return RegistrySettings.of("http://127.0.0.1:" + server.getAddress().getPort())
        .withRetryTotalTime(Duration.ofSeconds(5));
  }

  @Test
  void retries5xxUntilTheRegistryAnswers() throws IOException {
    SchemaRegistryClient client = new SchemaRegistryClient(
        scripted(new Object[] {503, "busy"}, new Object[] {502, "<html>"}, new Object[] {200, SCHEMA_JSON}));
    assertThat(client.getById(7).getName()).isEqualTo("R");
    assertThat(requests).hasValue(3);
    client.getById(7);
    assertThat(requests).as("cached").hasValue(3);
  }

  @Test
  void only40403MeansUnknownId() throws IOException {
    SchemaRegistryClient client = new SchemaRegistryClient(scripted(
        new Object[] {404, "{\"error_code\":40403,\"message\":\"Schema not found\"}"},
        new Object[] {404, "{\"error_code\":404,\"message\":\"Could not find resource\"}"}));
    assertThatThrownBy(() -> client.getById(7)).isInstanceOf(UnknownSchemaIdException.class);
    assertThatThrownBy(() -> client.getById(8))
        .isExactlyInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("HTTP 404");
    assertThat(requests).as("4xx is not retried").hasValue(2);
  }

  @Test
  void sendsBasicAuthAndReportsRejectedCredentialsWithoutRetrying() throws IOException {
    SchemaRegistryClient client = new SchemaRegistryClient(scripted(
        new Object[] {401, "{\"error_code\":40101,\"message\":\"Unauthorized\"}"})
        .withBasicAuth("svc", "pw"));
    assertThatThrownBy(() -> client.getById(1))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.httpStatus()).isEqualTo(401);
          assertThat(e.errorCode()).isEqualTo(40101);
        })
        .isNotInstanceOf(RegistryUnavailableException.class);
    assertThat(lastAuthorization).isEqualTo("Basic c3ZjOnB3"); // base64("svc:pw")
    assertThat(requests).hasValue(1);
  }

  @Test
  void givesUpOnAPersistent5xxAfterTheRetryTime() throws IOException {
    RegistrySettings settings = scripted().withRetryTotalTime(Duration.ofMillis(700));
    long start = System.nanoTime();
    assertThatThrownBy(() -> new SchemaRegistryClient(settings).getById(1))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("HTTP 500");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(700), Duration.ofSeconds(5));
    assertThat(requests.get()).isGreaterThan(2);
  }

  @Test
  void connectionRefusedIsUnavailableNotUnknown() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    RegistrySettings settings = RegistrySettings.of("http://127.0.0.1:" + closedPort)
        .withRetryTotalTime(Duration.ofMillis(500));
    assertThatThrownBy(() -> new SchemaRegistryClient(settings).getById(1))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("unavailable");
  }

  @Test
  void lookupOfAnAbsentSchemaIsEmpty() throws IOException {
    SchemaRegistryClient client = new SchemaRegistryClient(scripted(
        new Object[] {404, "{\"error_code\":40401,\"message\":\"Subject not found\"}"},
        new Object[] {200, "{\"id\":12,\"subject\":\"s\",\"version\":1}"}));
    org.apache.avro.Schema schema = TestSchemas.parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[]}");
    assertThat(client.lookup("s", schema)).isEmpty();
    assertThat(client.lookup("s", schema)).hasValue(12);
  }
}
