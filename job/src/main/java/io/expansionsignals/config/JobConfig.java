package io.expansionsignals.config;

import io.expansionsignals.domain.EngineSettings;
import io.expansionsignals.domain.UsagePeriod;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * The job's configuration from {@code --key value} arguments and environment variables
 * (arguments win). Unknown keys, missing required settings and unparsable values fail here, at
 * start-up, with the setting's name in the message.
 */
public final class JobConfig {
    public static final String ENV_PREFIX = "EXPANSION_SIGNALS_";
    /** Pass-through client settings: {@code --kafka.properties.security.protocol SASL_SSL}. */
    public static final String KAFKA_PROPERTIES_PREFIX = "kafka.properties.";

    private final Configuration conf;
    private final Properties kafkaProperties;

    private JobConfig(Configuration conf, Properties kafkaProperties) {
        this.conf = conf;
        this.kafkaProperties = kafkaProperties;
    }

    public static JobConfig fromArgs(String[] args) {
        return from(args, System::getenv);
    }

    public static JobConfig from(String[] args, Function<String, String> env) {
        Map<String, String> values = new HashMap<>();
        Properties kafka = new Properties();
        for (ConfigOption<?> option : ExpansionSignalsOptions.all()) {
            String v = env.apply(envName(option.key()));
            if (v != null) {
                values.put(option.key(), v);
            }
        }
        aliasFromEnv(env, "REGISTRY_USERNAME", ExpansionSignalsOptions.REGISTRY_USERNAME.key(), values);
        aliasFromEnv(env, "REGISTRY_PASSWORD", ExpansionSignalsOptions.REGISTRY_PASSWORD.key(), values);
        String jaas = env.apply("KAFKA_SASL_JAAS_CONFIG");
        if (jaas != null) {
            kafka.setProperty("sasl.jaas.config", jaas);
        }
        Set<String> known = new HashSet<>();
        ExpansionSignalsOptions.all().forEach(o -> known.add(o.key()));
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new ConfigurationException("unexpected argument '" + arg + "': settings are given as --key value");
            }
            String k = arg.substring(2);
            if (i + 1 >= args.length) {
                throw new ConfigurationException("setting '" + k + "' has no value");
            }
            String v = args[++i];
            if (k.startsWith(KAFKA_PROPERTIES_PREFIX)) {
                kafka.setProperty(k.substring(KAFKA_PROPERTIES_PREFIX.length()), v);
            } else if (known.contains(k)) {
                values.put(k, v);
            } else {
                throw new ConfigurationException("unknown setting '" + k + "' (see ExpansionSignalsOptions for the list)");
            }
        }
        JobConfig config = new JobConfig(Configuration.fromMap(values), kafka);
        ExpansionSignalsOptions.all().forEach(config::get); // parse every value now, not mid-run
        return config;
    }

    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static void aliasFromEnv(Function<String, String> env, String name, String key, Map<String, String> values) {
        String v = env.apply(name);
        if (v != null && !values.containsKey(key)) {
            values.put(key, v);
        }
    }

    public <T> T get(ConfigOption<T> option) {
        try {
            return conf.get(option);
        } catch (RuntimeException e) {
            throw new ConfigurationException("setting '" + option.key() + "' has an invalid value: " + e.getMessage(), e);
        }
    }

    public String required(ConfigOption<String> option) {
        String v = get(option);
        if (v == null || v.isBlank()) {
            throw new ConfigurationException("setting '" + option.key() + "' is required (--" + option.key() + " or env "
                    + envName(option.key()) + "): " + option.description());
        }
        return v;
    }

    public Properties kafkaProperties() {
        Properties copy = new Properties();
        copy.putAll(kafkaProperties);
        return copy;
    }

    private UsagePeriod period(ConfigOption<String> option) {
        try {
            return UsagePeriod.valueOf(get(option).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("setting '" + option.key() + "' must be CALENDAR_MONTH or DAY, was '"
                    + get(option) + "'");
        }
    }

    /** The engine's settings, with the catalog and FX rates loaded from catalog.file. */
    public EngineSettings engineSettings() {
        CatalogLoader.Loaded catalog = CatalogLoader.load(get(ExpansionSignalsOptions.CATALOG_FILE));
        UsagePeriod period = period(ExpansionSignalsOptions.USAGE_PERIOD);
        UsagePeriod portfolioPeriod = period(ExpansionSignalsOptions.PORTFOLIO_PERIOD);
        Integer cacheSize = get(ExpansionSignalsOptions.STATE_CACHE_SIZE);
        if (cacheSize != null && cacheSize < 0) { // -1 stands for "unset" inside, never as a value
            throw new ConfigurationException("setting 'state.account-cache-size' must be 0 (off) or more, was " + cacheSize);
        }
        try {
            return EngineSettings.builder()
                    .levels(get(ExpansionSignalsOptions.LEVELS))
                    .seatLevels(get(ExpansionSignalsOptions.SEAT_LEVELS))
                    .hysteresis(get(ExpansionSignalsOptions.HYSTERESIS))
                    .cooldown(get(ExpansionSignalsOptions.COOLDOWN))
                    .featureGateHits(get(ExpansionSignalsOptions.GATE_HITS))
                    .featureGateWindow(get(ExpansionSignalsOptions.GATE_WINDOW))
                    .forecastHorizon(get(ExpansionSignalsOptions.FORECAST_HORIZON))
                    .usagePeriod(period)
                    .portfolioPeriod(portfolioPeriod)
                    .healthyFrom(get(ExpansionSignalsOptions.HEALTHY_FROM))
                    .neutralFrom(get(ExpansionSignalsOptions.NEUTRAL_FROM))
                    .quietAccountExpiry(get(ExpansionSignalsOptions.QUIET_EXPIRY))
                    .renewalPrepMinInterval(get(ExpansionSignalsOptions.RENEWAL_PREP_MIN_INTERVAL))
                    .onboardingPeriod(get(ExpansionSignalsOptions.ONBOARDING_PERIOD))
                    .maxFutureSkew(get(ExpansionSignalsOptions.MAX_FUTURE_SKEW))
                    .dedupMaxIds(get(ExpansionSignalsOptions.DEDUP_MAX_IDS))
                    .snapshotScoreStep(get(ExpansionSignalsOptions.SNAPSHOT_SCORE_STEP))
                    .snapshotUtilisationStep(get(ExpansionSignalsOptions.SNAPSHOT_UTILISATION_STEP))
                    .snapshotBufferSize(get(ExpansionSignalsOptions.SNAPSHOT_BUFFER_SIZE))
                    .stateCacheSize(cacheSize == null ? EngineSettings.STATE_CACHE_SIZE_UNSET : cacheSize)
                    .stateCacheHeapShare(get(ExpansionSignalsOptions.STATE_CACHE_HEAP_SHARE))
                    .snapshotMaxHold(get(ExpansionSignalsOptions.SNAPSHOT_MAX_HOLD) != null ? get(ExpansionSignalsOptions.SNAPSHOT_MAX_HOLD)
                            : get(ExpansionSignalsOptions.CHECKPOINT_INTERVAL).dividedBy(2))
                    .catalog(catalog.catalog())
                    .fx(catalog.fx())
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("invalid setting: " + e.getMessage(), e);
        }
    }
}
