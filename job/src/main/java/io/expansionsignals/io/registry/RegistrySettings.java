package io.expansionsignals.io.registry;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the schema registry. Serializable because Flink ships serializers and decoders
 * (which hold this, not an HTTP client) to the task managers.
 *
 * @param url base URL of the Confluent API, e.g. {@code http://host:8080/apis/ccompat/v7}
 * @param user basic-auth user, or null for none
 * @param password basic-auth password, or null
 * @param connectTimeout TCP connect timeout per attempt
 * @param requestTimeout whole-response timeout per attempt
 * @param retryTotalTime how long to keep retrying an unavailable registry before giving up
 * @param autoRegister whether producers register their writer schema (else it must exist)
 * @param missingIdCacheTtl how long a schema id the registry said it does not have is answered
 *     as unknown without asking again; zero asks for every record
 */
public record RegistrySettings(
    String url,
    String user,
    String password,
    Duration connectTimeout,
    Duration requestTimeout,
    Duration retryTotalTime,
    boolean autoRegister,
    Duration missingIdCacheTtl)
    implements Serializable {

  public RegistrySettings {
    Objects.requireNonNull(url, "url");
    // A trailing slash would produce "//subjects" paths, which some servers reject.
    url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    if ((user == null) != (password == null)) {
      throw new IllegalArgumentException("basic auth needs both user and password, or neither");
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(retryTotalTime, "retryTotalTime");
    Objects.requireNonNull(missingIdCacheTtl, "missingIdCacheTtl");
    if (missingIdCacheTtl.isNegative()) {
      throw new IllegalArgumentException("missingIdCacheTtl must not be negative: " + missingIdCacheTtl);
    }
  }

  /** How long an unknown schema id is remembered as unknown unless configured otherwise. */
  public static final Duration DEFAULT_MISSING_ID_CACHE_TTL = Duration.ofSeconds(10);

  /**
   * Defaults: no auth, 5 s connect, 10 s request, retry for 60 s, auto-register on, unknown ids
   * remembered for {@link #DEFAULT_MISSING_ID_CACHE_TTL}.
   */
  public static RegistrySettings of(String url) {
    return new RegistrySettings(url, null, null, Duration.ofSeconds(5), Duration.ofSeconds(10),
        Duration.ofSeconds(60), true, DEFAULT_MISSING_ID_CACHE_TTL);
  }

  public RegistrySettings withBasicAuth(String user, String password) {
    return new RegistrySettings(
        url, user, password, connectTimeout, requestTimeout, retryTotalTime, autoRegister, missingIdCacheTtl);
  }

  public RegistrySettings withTimeouts(Duration connect, Duration request) {
    return new RegistrySettings(url, user, password, connect, request, retryTotalTime, autoRegister,
        missingIdCacheTtl);
  }

  public RegistrySettings withRetryTotalTime(Duration total) {
    return new RegistrySettings(url, user, password, connectTimeout, requestTimeout, total, autoRegister,
        missingIdCacheTtl);
  }

  public RegistrySettings withAutoRegister(boolean auto) {
    return new RegistrySettings(url, user, password, connectTimeout, requestTimeout, retryTotalTime, auto,
        missingIdCacheTtl);
  }

  public RegistrySettings withMissingIdCacheTtl(Duration ttl) {
    return new RegistrySettings(url, user, password, connectTimeout, requestTimeout, retryTotalTime, autoRegister,
        ttl);
  }

  /** Never prints the password: settings end up in logs and Flink's job graph description. */
  @Override
  public String toString() {
    return "RegistrySettings[url=" + url + ", user=" + user
        + (password == null ? "" : ", password=***")
        + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout
        + ", retryTotalTime=" + retryTotalTime + ", autoRegister=" + autoRegister
        + ", missingIdCacheTtl=" + missingIdCacheTtl + "]";
  }
}
