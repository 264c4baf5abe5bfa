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
import java.util.concurrent.atomic.AtomicLong;
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
    assertThat(client.requests()).as("what the client reports as sent, retries included").isEqualTo(3);
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

  private static final Object[] NO_SUCH_ID = {404, "{\"error_code\":40403,\"message\":\"Schema not found\"}"};

  @Test
  void anUnknownIdIsAnsweredFromMemoryUntilItsTtlAndThenAskedForAgain() throws IOException {
    AtomicLong nanos = new AtomicLong(1_000);
    SchemaRegistryClient client = new SchemaRegistryClient(
        scripted(NO_SUCH_ID, new Object[] {200, SCHEMA_JSON}).withMissingIdCacheTtl(Duration.ofSeconds(10)), nanos::get, 16);
    assertThatThrownBy(() -> client.getById(7)).isInstanceOf(UnknownSchemaIdException.class);
    nanos.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThatThrownBy(() -> client.getById(7))
        .isInstanceOfSatisfying(UnknownSchemaIdException.class, e -> assertThat(e.schemaId()).isEqualTo(7))
        .hasMessageContaining("schema id 7 is not known").hasMessageContaining("10 s");
    assertThat(requests).as("the second answer came from memory").hasValue(1);
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(client.getById(7).getName()).as("registered meanwhile, found once the TTL is over").isEqualTo("R");
    assertThat(requests).hasValue(2);
    assertThat(client.requests()).isEqualTo(2);
  }

  @Test
  void aTtlOfForeverNeitherOverflowsNorExpires() throws IOException {
    AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - 5); // nanoTime may start anywhere, even near the end
    SchemaRegistryClient client = new SchemaRegistryClient(
        scripted(NO_SUCH_ID).withMissingIdCacheTtl(Duration.ofDays(1_000_000)), nanos::get, 16);
    assertThatThrownBy(() -> client.getById(7)).isInstanceOf(UnknownSchemaIdException.class);
    nanos.addAndGet(Duration.ofDays(3_650).toNanos()); // wraps around, as nanoTime may
    assertThatThrownBy(() -> client.getById(7)).isInstanceOf(UnknownSchemaIdException.class);
    assertThat(requests).as("ten years later still answered from memory").hasValue(1);
  }

  @Test
  void aZeroTtlAsksForEveryRecord() throws IOException {
    SchemaRegistryClient client = new SchemaRegistryClient(
        scripted(NO_SUCH_ID, NO_SUCH_ID).withMissingIdCacheTtl(Duration.ZERO), () -> 0L, 16);
    assertThatThrownBy(() -> client.getById(7)).isInstanceOf(UnknownSchemaIdException.class);
    assertThatThrownBy(() -> client.getById(7)).isInstanceOf(UnknownSchemaIdException.class)
        .hasMessageNotContaining("looked up again");
    assertThat(requests).hasValue(2);
  }

  @Test
  void theMemoryOfUnknownIdsIsBounded() throws IOException {
    int max = 4;
    Object[][] script = new Object[max + 2][];
    java.util.Arrays.fill(script, NO_SUCH_ID);
    SchemaRegistryClient client = new SchemaRegistryClient(scripted(script), () -> 0L, max);
    for (int id = 0; id <= max; id++) {
      int unknown = id;
      assertThatThrownBy(() -> client.getById(unknown)).isInstanceOf(UnknownSchemaIdException.class);
    }
    assertThat(requests).hasValue(max + 1);
    // Full at the last id: the memory started over, so the first id is asked for again.
    assertThatThrownBy(() -> client.getById(0)).isInstanceOf(UnknownSchemaIdException.class);
    assertThat(requests).hasValue(max + 2);
    // The last one is remembered.
    assertThatThrownBy(() -> client.getById(max))
        .isInstanceOf(UnknownSchemaIdException.class);
    assertThat(requests).hasValue(max + 2);
  }
}
