package io.expansionsignals.io.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small client for the Confluent schema registry REST API (the io.confluent client is not on
 * Maven Central). Ids are immutable in a registry, so both directions are cached forever. An id the
 * registry does not have is remembered as unknown for {@link RegistrySettings#missingIdCacheTtl}:
 * a producer writing garbage or another registry's ids would otherwise cost one HTTP round trip
 * per record (about a millisecond of CPU here, for client and server together), which throttles
 * the source to that pace and loads the registry that every other client shares.
 * Not serializable on purpose: serializers hold {@link RegistrySettings} and create one lazily.
 */
public class SchemaRegistryClient implements SchemaLookup {
  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistrySettings settings;
  private final HttpClient http;
  private final String authHeader;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();
  /** Unknown id -> {@link #nanoClock} reading until which it is answered as unknown without asking. */
  private final Map<Integer, Long> missingIdsUntil = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;
  /** Bounds {@link #missingIdsUntil}: random bytes can carry any of 2^32 ids. */
  private final int maxMissingIds;
  /** {@link RegistrySettings#missingIdCacheTtl} in nanoseconds, at most {@link #LONGEST_MISSING_ID_TTL}. */
  private final long missingIdTtlNanos;
  private final AtomicLong requests = new AtomicLong();
  /** Caps the TTL so that "forever" (any Duration fits the option) neither overflows nor wraps. */
  private static final Duration LONGEST_MISSING_ID_TTL = Duration.ofDays(36_500);

  private record SubjectSchema(String subject, Schema schema) {}

  public SchemaRegistryClient(RegistrySettings settings) {
    this(settings, System::nanoTime, 1024);
  }

  /** With a clock and a bound for the missing-id cache, so tests need not wait or fill it. */
  SchemaRegistryClient(RegistrySettings settings, LongSupplier nanoClock, int maxMissingIds) {
    this.settings = settings;
    this.nanoClock = nanoClock;
    this.maxMissingIds = maxMissingIds;
    Duration ttl = settings.missingIdCacheTtl();
    this.missingIdTtlNanos = (ttl.compareTo(LONGEST_MISSING_ID_TTL) > 0 ? LONGEST_MISSING_ID_TTL : ttl).toNanos();
    // HTTP/1.1: plain-http registries gain nothing from an h2c upgrade attempt on every request.
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.connectTimeout())
        .build();
    this.authHeader = settings.user() == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString((settings.user() + ":" + settings.password()).getBytes(StandardCharsets.UTF_8));
  }

  public RegistrySettings settings() {
    return settings;
  }

  /** HTTP requests sent so far, retries included: what this client cost the registry. */
  public long requests() {
    return requests.get();
  }

  /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
  public int register(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode body;
    try {
      body = send("register schema under subject '" + subject + "'",
          post("/subjects/" + encode(subject) + "/versions", schemaBody(schema)));
    } catch (SchemaRegistryException e) {
      // Parallel subtasks register the same new subject at once; Apicurio answers the loser with
      // 409 "already exists" instead of the id. The subject exists now: registering again is idempotent.
      if (e.httpStatus() != 409 || e.getMessage() == null || !e.getMessage().contains("already exists")) {
        throw e;
      }
      body = send("register schema under subject '" + subject + "'",
          post("/subjects/" + encode(subject) + "/versions", schemaBody(schema)));
    }
    int id = body.path("id").asInt();
    remember(key, id);
    return id;
  }

  /**
   * The id of {@code schema} if it is already registered under {@code subject}, without
   * registering it (Confluent "check if a schema has been registered under subject").
   */
  public OptionalInt lookup(String subject, Schema schema) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return OptionalInt.of(cached);
    }
    try {
      JsonNode body = send("look up schema under subject '" + subject + "'",
          post("/subjects/" + encode(subject), schemaBody(schema)));
      int id = body.path("id").asInt();
      remember(key, id);
      return OptionalInt.of(id);
    } catch (SchemaRegistryException e) {
      if (e.httpStatus() == 404 && (e.errorCode() == 40401 || e.errorCode() == 40403)) {
        return OptionalInt.empty(); // subject not found / schema not found under it
      }
      throw e;
    }
  }

  @Override
  public Schema getById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    Long missingUntil = missingIdsUntil.get(id);
    if (missingUntil != null) {
      if (nanoClock.getAsLong() - missingUntil < 0) {
        throw unknownId(id);
      }
      missingIdsUntil.remove(id); // asked again below: it may have been registered since
    }
    JsonNode body;
    try {
      body = send("fetch schema id " + id, request("/schemas/ids/" + id).GET().build());
    } catch (SchemaRegistryException e) {
      // Only 40403 means "no such id". Any other 404 (e.g. a wrong base path) is a setup
      // error that must stop the job, not send every record to dead letters.
      if (e.httpStatus() == 404 && e.errorCode() == 40403) {
        rememberMissing(id);
        throw unknownId(id);
      }
      throw e;
    }
    String type = body.path("schemaType").asText("AVRO");
    if (!"AVRO".equals(type)) {
      throw new NotAvroSchemaException("schema id " + id + " is a " + type + " schema, not Avro", null);
    }
    Schema schema;
    try {
      schema = new Schema.Parser().parse(body.path("schema").asText());
    } catch (RuntimeException e) {
      throw new NotAvroSchemaException("schema id " + id + " is not a valid Avro schema: " + e.getMessage(), e);
    }
    schemasById.putIfAbsent(id, schema);
    return schema;
  }

  /**
   * Sets the compatibility level (e.g. BACKWARD) of one subject; Apicurio's global default is
   * NONE. In Apicurio a subject's NONE does not override a stricter global level.
   */
  public void setCompatibility(String subject, String level) {
    send("set compatibility of '" + subject + "'",
        put("/config/" + encode(subject), JSON.createObjectNode().put("compatibility", level)));
  }

  /** Sets the registry-wide default compatibility level. */
  public void setGlobalCompatibility(String level) {
    send("set global compatibility", put("/config", JSON.createObjectNode().put("compatibility", level)));
  }

  private UnknownSchemaIdException unknownId(int id) {
    return new UnknownSchemaIdException(id, 404, 40403, settings.missingIdCacheTtl());
  }

  private void rememberMissing(int id) {
    if (missingIdTtlNanos <= 0) {
      return;
    }
    long now = nanoClock.getAsLong();
    if (missingIdsUntil.size() >= maxMissingIds) {
      missingIdsUntil.values().removeIf(until -> now - until >= 0);
      if (missingIdsUntil.size() >= maxMissingIds) {
        missingIdsUntil.clear(); // a flood of distinct ids: start over rather than grow
      }
    }
    missingIdsUntil.put(id, now + missingIdTtlNanos);
  }

  private void remember(SubjectSchema key, int id) {
    idsBySubjectSchema.putIfAbsent(key, id);
    schemasById.putIfAbsent(id, key.schema());
  }

  /**
   * Sends with retries while the registry is unreachable or answers 5xx/429, up to the
   * configured total time. Any other error status is final and reported as it is.
   */
  private JsonNode send(String what, HttpRequest request) {
    long deadline = System.nanoTime() + settings.retryTotalTime().toNanos();
    long backoffMillis = 100;
    int attempt = 0;
    while (true) {
      attempt++;
      Exception failure;
      try {
        requests.incrementAndGet();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status / 100 == 2) {
          return parse(what, response.body());
        }
        if (status < 500 && status != 429) {
          throw error(what, status, response.body());
        }
        failure = error(what, status, response.body());
      } catch (IOException e) { // refused, reset, timed out (HttpTimeoutException)
        failure = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException("interrupted while trying to " + what, e);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new RegistryUnavailableException("schema registry at " + settings.url()
            + " unavailable: could not " + what + " in " + attempt + " attempts over "
            + settings.retryTotalTime() + ": " + failure, failure);
      }
      LOG.warn("Schema registry: could not {} (attempt {}), retrying: {}", what, attempt, failure.toString());
      sleep(Math.min(backoffMillis, left / 1_000_000 + 1), what);
      backoffMillis = Math.min(backoffMillis * 2, 5_000);
    }
  }

  private static JsonNode parse(String what, String body) {
    try {
      return body.isBlank() ? JSON.nullNode() : JSON.readTree(body);
    } catch (IOException e) { // a 2xx that is not JSON: wrong URL (a web page?), not an outage
      throw new SchemaRegistryException("could not " + what + ": response is not JSON: " + body, e);
    }
  }

  private static SchemaRegistryException error(String what, int status, String body) {
    int code = -1;
    String message = body;
    try {
      JsonNode json = JSON.readTree(body);
      code = json.path("error_code").asInt(-1);
      message = json.path("message").asText(body);
    } catch (IOException | RuntimeException notJson) {
      // keep the raw body: an HTML error page from a proxy is still worth reporting
    }
    return new SchemaRegistryException(
        "could not " + what + ": HTTP " + status + " error_code " + code + ": " + message, status, code);
  }

  private static void sleep(long millis, String what) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted while retrying to " + what, e);
    }
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(settings.url() + path))
        .timeout(settings.requestTimeout())
        .header("Accept", CONTENT_TYPE + ", application/json");
    if (authHeader != null) {
      builder.header("Authorization", authHeader);
    }
    return builder;
  }

  private HttpRequest post(String path, JsonNode body) {
    return request(path).header("Content-Type", CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
  }

  private HttpRequest put(String path, JsonNode body) {
    return request(path).header("Content-Type", CONTENT_TYPE)
        .PUT(HttpRequest.BodyPublishers.ofString(body.toString())).build();
  }

  private static JsonNode schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString());
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
