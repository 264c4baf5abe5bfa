package io.expansionsignals.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration errors stop the job at start-up with the setting's name in the message. */
class JobConfigTest {
    private static JobConfig parse(Map<String, String> env, String... args) {
        return JobConfig.from(args, env::get);
    }

    @Test
    void argumentsAndEnvironmentAreReadWithArgumentsWinning() {
        JobConfig c = parse(Map.of("EXPANSION_SIGNALS_KAFKA_BOOTSTRAP_SERVERS", "env:9092",
                        "EXPANSION_SIGNALS_CHECKPOINT_INTERVAL", "30 s", "REGISTRY_PASSWORD", "s3cret",
                        "KAFKA_SASL_JAAS_CONFIG", "jaas"),
                "--kafka.bootstrap-servers", "arg:9092", "--kafka.properties.security.protocol", "SASL_SSL");
        assertThat(c.required(ExpansionSignalsOptions.BOOTSTRAP_SERVERS)).isEqualTo("arg:9092");
        assertThat(c.get(ExpansionSignalsOptions.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.get(ExpansionSignalsOptions.REGISTRY_PASSWORD)).isEqualTo("s3cret");
        assertThat(c.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", "jaas");
    }

    @Test
    void anUnknownSettingIsRejectedByName() {
        assertThatThrownBy(() -> parse(Map.of(), "--kafka.bootstrap-server", "x"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("kafka.bootstrap-server");
    }

    @Test
    void aMissingRequiredSettingNamesItAndItsEnvironmentVariable() {
        assertThatThrownBy(() -> parse(Map.of()).required(ExpansionSignalsOptions.REGISTRY_URL))
                .hasMessageContaining("registry.url").hasMessageContaining("EXPANSION_SIGNALS_REGISTRY_URL");
    }

    @Test
    void anUnparsableValueFailsAtParseTimeNamingTheSetting() {
        assertThatThrownBy(() -> parse(Map.of(), "--checkpoint.interval", "soon"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("checkpoint.interval");
        assertThatThrownBy(() -> parse(Map.of(), "--usage.period", "WEEK").engineSettings())
                .hasMessageContaining("usage.period");
        assertThatThrownBy(() -> parse(Map.of(), "--thresholds.levels", "0.9;0.8").engineSettings())
                .hasMessageContaining("thresholds.levels");
    }

    @Test
    void theAccountCacheIsSizedFromTheHeapUnlessSetAndBadSizesOrSharesAreRejectedByName() {
        assertThat(parse(Map.of()).engineSettings().stateCacheSize).isEqualTo(io.expansionsignals.domain.EngineSettings.STATE_CACHE_SIZE_UNSET);
        assertThat(parse(Map.of()).engineSettings().stateCacheHeapShare).isEqualTo(0.5);
        assertThat(parse(Map.of(), "--state.account-cache-size", "1000").engineSettings().stateCacheSize).isEqualTo(1_000);
        assertThat(parse(Map.of(), "--state.account-cache-size", "0").engineSettings().stateCacheSize).isZero();
        assertThatThrownBy(() -> parse(Map.of(), "--state.account-cache-size", "-1").engineSettings())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("state.account-cache-size");
        assertThatThrownBy(() -> parse(Map.of(), "--state.account-cache-heap-share", "1.5").engineSettings())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("state.account-cache-heap-share");
        assertThat(parse(Map.of(), "--state.account-cache-heap-share", "0.25").engineSettings().stateCacheHeapShare)
                .isEqualTo(0.25);
    }

    @Test
    void rocksDbBloomFilterIsLeftToTheClusterUnlessSetAndWhenOnReachesTheColumnFamiliesRocksDbOpens() throws Exception {
        // unset, the job's settings must not carry the key: they would override the cluster's
        assertThat(io.expansionsignals.pipeline.KafkaJob.flinkConfiguration(parse(Map.of()))
                .contains(org.apache.flink.state.rocksdb.RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isFalse();
        assertThat(hasBloomFilter(parse(Map.of()))).isFalse();
        assertThat(hasBloomFilter(parse(Map.of(), "--state.rocksdb-bloom-filter", "true"))).isTrue();
        assertThat(hasBloomFilter(parse(Map.of(), "--state.rocksdb-bloom-filter", "false"))).isFalse();
        assertThatThrownBy(() -> parse(Map.of(), "--state.rocksdb-bloom-filter", "maybe"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("state.rocksdb-bloom-filter");
    }

    /** Whether the column family options RocksDB gets from the job's Flink settings have a bloom filter. */
    private static boolean hasBloomFilter(JobConfig config) throws Exception {
        try (var container = new org.apache.flink.state.rocksdb.RocksDBResourceContainer(
                io.expansionsignals.pipeline.KafkaJob.flinkConfiguration(config),
                org.apache.flink.state.rocksdb.PredefinedOptions.DEFAULT, null, null, null, false)) {
            var table = (org.rocksdb.BlockBasedTableConfig) container.getColumnOptions().tableFormatConfig();
            return table.filterPolicy() != null;
        }
    }

    @Test
    void rocksDbCompressionPerLevelReachesTheJobsFlinkSettingsAndABadTypeIsNamed() {
        var defaults = io.expansionsignals.pipeline.KafkaJob.flinkConfiguration(parse(Map.of()));
        assertThat(defaults.get(org.apache.flink.state.rocksdb.RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
                .containsExactly(org.rocksdb.CompressionType.NO_COMPRESSION, org.rocksdb.CompressionType.NO_COMPRESSION,
                        org.rocksdb.CompressionType.LZ4_COMPRESSION);

        var snappy = io.expansionsignals.pipeline.KafkaJob.flinkConfiguration(
                parse(Map.of(), "--state.rocksdb-compression-per-level", "SNAPPY_COMPRESSION"));
        assertThat(snappy.get(org.apache.flink.state.rocksdb.RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
                .containsExactly(org.rocksdb.CompressionType.SNAPPY_COMPRESSION);

        assertThatThrownBy(() -> parse(Map.of(), "--state.rocksdb-compression-per-level", "FAST"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("state.rocksdb-compression-per-level");
    }

    @Test
    void theBundledCatalogLoadsAndABrokenCatalogFileIsNamed() {
        assertThat(parse(Map.of()).engineSettings().catalog.nextTier("starter")).hasValueSatisfying(
                p -> assertThat(p.planId()).isEqualTo("growth"));
        assertThatThrownBy(() -> parse(Map.of(), "--catalog.file", "/nonexistent/catalog.json").engineSettings())
                .hasMessageContaining("catalog.file").hasMessageContaining("/nonexistent/catalog.json");
    }

    @Test
    void theOnboardingPeriodReachesTheEngine() {
        assertThat(parse(Map.of()).engineSettings().onboardingMillis).isEqualTo(Duration.ofDays(14).toMillis());
        assertThat(parse(Map.of(), "--churn-risk.onboarding-period", "30 d").engineSettings().onboardingMillis)
                .isEqualTo(Duration.ofDays(30).toMillis());
        assertThat(parse(Map.of(), "--churn-risk.onboarding-period", "0 s").engineSettings().onboardingMillis).isZero();
        assertThatThrownBy(() -> parse(Map.of(), "--churn-risk.onboarding-period", "a fortnight"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("churn-risk.onboarding-period");
    }
}
