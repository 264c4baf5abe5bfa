package io.expansionsignals.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expansionsignals.config.ConfigurationException;
import io.expansionsignals.config.JobConfig;
import io.expansionsignals.io.registry.RegistrySettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code registry.*} settings reach the registry client the job's sources and sinks use. */
class KafkaJobRegistrySettingsTest {
    private static RegistrySettings settings(String... args) {
        return KafkaJob.registrySettings(JobConfig.from(args, Map.<String, String>of()::get));
    }

    @Test
    void defaultsRememberAnUnknownIdForTenSeconds() {
        RegistrySettings s = settings("--registry.url", "http://registry:8081/");
        assertThat(s.url()).isEqualTo("http://registry:8081");
        assertThat(s.missingIdCacheTtl()).isEqualTo(RegistrySettings.DEFAULT_MISSING_ID_CACHE_TTL).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.retryTotalTime()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.user()).isNull();
    }

    @Test
    void everyRegistrySettingIsPassedOn() {
        RegistrySettings s = settings("--registry.url", "http://r", "--registry.missing-id-cache-ttl", "0 s",
                "--registry.retry-timeout", "7 s", "--registry.auto-register", "false",
                "--registry.username", "svc", "--registry.password", "pw");
        assertThat(s.missingIdCacheTtl()).isZero();
        assertThat(s.retryTotalTime()).isEqualTo(Duration.ofSeconds(7));
        assertThat(s.autoRegister()).isFalse();
        assertThat(s.user()).isEqualTo("svc");
        assertThat(s.toString()).contains("missingIdCacheTtl=PT0S").doesNotContain("pw");
    }

    @Test
    void anUnparsableTtlIsNamed() {
        assertThatThrownBy(() -> settings("--registry.url", "http://r", "--registry.missing-id-cache-ttl", "a while"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("registry.missing-id-cache-ttl");
    }
}
