package io.expansionsignals.config;

import io.expansionsignals.schema.BillingInterval;
import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.CompressionType;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.kafka.sink.TransactionNamingStrategy;

/**
 * Every setting of the job, typed and described. Set them as {@code --key value} arguments or as
 * environment variables named {@code EXPANSION_SIGNALS_} + the key in upper case with dots and
 * dashes as underscores (e.g. {@code EXPANSION_SIGNALS_KAFKA_BOOTSTRAP_SERVERS}).
 */
public final class ExpansionSignalsOptions {
    private ExpansionSignalsOptions() {}

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = key("kafka.bootstrap-servers").stringType().noDefaultValue()
            .withDescription("Kafka bootstrap servers, host:port[,host:port]. Required.");
    public static final ConfigOption<String> GROUP_ID = key("kafka.group-id").stringType().defaultValue("expansion-signals")
            .withDescription("Consumer group of the input sources (offsets are checkpointed by Flink; this names them in Kafka).");
    public static final ConfigOption<String> TRANSACTIONAL_ID_PREFIX = key("kafka.transactional-id-prefix").stringType()
            .defaultValue("expansion-signals")
            .withDescription("Prefix of the exactly-once sinks' transactional ids; unique per job sharing a cluster. With "
                    + "kafka.transaction-naming INCREMENTING a start without a savepoint or checkpoint probes, one broker round "
                    + "trip each, every id an earlier run used under the same prefix: give such a redeploy a new one.");
    public static final ConfigOption<Duration> TRANSACTION_TIMEOUT = key("kafka.transaction-timeout").durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription("Producer transaction timeout. Must exceed checkpoint interval + recovery time and must not "
                    + "exceed the broker's transaction.max.timeout.ms (15 min by default).");
    public static final ConfigOption<TransactionNamingStrategy> TRANSACTION_NAMING = key("kafka.transaction-naming")
            .enumType(TransactionNamingStrategy.class).defaultValue(TransactionNamingStrategy.POOLING)
            .withDescription("How the exactly-once sinks name their transactions. POOLING (the default) reuses two or three "
                    + "ids per sink subtask, and a start or restore finds the open transactions to abort with one "
                    + "ListTransactions request (brokers 3.0+; the job's principal needs DESCRIBE on its transactional ids). "
                    + "INCREMENTING, flink-connector-kafka 3.x's way, takes a new id for every sink subtask at every "
                    + "checkpoint: the brokers keep each for transactional.id.expiration.ms (7 days by default), and a start "
                    + "without state probes every id used before, one round trip each.");
    public static final ConfigOption<String> STARTING_OFFSETS = key("kafka.starting-offsets").stringType()
            .defaultValue("earliest")
            .withDescription("Where a source starts without a checkpoint: earliest, latest or committed.");

    public static final ConfigOption<Boolean> VERIFY_TOPICS = key("kafka.verify-topics").booleanType().defaultValue(true)
            .withDescription("Check at start-up that every input and output topic exists and stop naming the topic.* setting "
                    + "of any that does not (a missing output topic otherwise fails the job at its first write there); a missing "
                    + "plan-catalog topic, or an account-health or plan-catalog topic that is not compacted, is only a warning. "
                    + "Brokers that cannot be reached or may not be asked leave the check undecided and the job starts. "
                    + "Set false for brokers that create topics on first use.");

    public static final ConfigOption<String> REGISTRY_URL = key("registry.url").stringType().noDefaultValue()
            .withDescription("Base URL of a schema registry speaking the Confluent REST API. Required.");
    public static final ConfigOption<String> REGISTRY_USERNAME = key("registry.username").stringType().noDefaultValue()
            .withDescription("Basic-auth user for the registry (or env REGISTRY_USERNAME).");
    public static final ConfigOption<String> REGISTRY_PASSWORD = key("registry.password").stringType().noDefaultValue()
            .withDescription("Basic-auth password for the registry (or env REGISTRY_PASSWORD).");
    public static final ConfigOption<Boolean> REGISTRY_AUTO_REGISTER = key("registry.auto-register").booleanType()
            .defaultValue(true)
            .withDescription("Register output schemas on first use; if false they must already be registered.");
    public static final ConfigOption<Duration> REGISTRY_RETRY_TIMEOUT = key("registry.retry-timeout").durationType()
            .defaultValue(Duration.ofMinutes(2))
            .withDescription("How long lookups retry an unreachable registry before the task fails and restarts from its checkpoint.");
    public static final ConfigOption<Duration> REGISTRY_MISSING_ID_CACHE_TTL = key("registry.missing-id-cache-ttl")
            .durationType()
            .defaultValue(io.expansionsignals.io.registry.RegistrySettings.DEFAULT_MISSING_ID_CACHE_TTL)
            .withDescription("How long a schema id the registry does not have is answered as unknown (its records go to "
                    + "dead letters as UNKNOWN_SCHEMA_ID) before the registry is asked again. Without it every such record "
                    + "costs a registry round trip; 0 asks for every record.");

    public static final ConfigOption<String> TOPIC_SUBSCRIPTIONS = topic("subscription-events");
    public static final ConfigOption<String> TOPIC_USAGE = topic("usage-events");
    public static final ConfigOption<String> TOPIC_ENGAGEMENT = topic("engagement-events");
    public static final ConfigOption<String> TOPIC_EXPANSION_SIGNALS = topic("expansion-signals");
    public static final ConfigOption<String> TOPIC_CHURN_RISK = topic("churn-risk-signals");
    public static final ConfigOption<String> TOPIC_ACCOUNT_HEALTH = topic("account-health");
    public static final ConfigOption<String> TOPIC_MRR_MOVEMENTS = topic("mrr-movements");
    public static final ConfigOption<String> TOPIC_PORTFOLIO_METRICS = topic("portfolio-metrics");
    public static final ConfigOption<String> TOPIC_DEAD_LETTERS = topic("dead-letters");
    public static final ConfigOption<String> TOPIC_PLAN_CATALOG = topic("plan-catalog");
    public static final ConfigOption<Boolean> CATALOG_TOPIC_ENABLED = key("catalog.topic-enabled").booleanType()
            .defaultValue(true)
            .withDescription("Follow the compacted plan-catalog topic so catalog changes apply without a restart.");

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("checkpoint.interval").durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Exactly-once outputs become visible to read_committed consumers when a checkpoint completes: "
                    + "this is the floor of end-to-end latency.");
    public static final ConfigOption<Integer> PARALLELISM = key("parallelism").intType().defaultValue(-1)
            .withDescription("Job parallelism; -1 keeps the cluster default.");
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = key("watermark.out-of-orderness").durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("How far behind the newest event time an event may arrive and still count as on time.");
    public static final ConfigOption<Duration> IDLENESS = key("watermark.idleness").durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("A source partition silent this long stops holding the watermark back.");
    public static final ConfigOption<Duration> DEDUP_WINDOW = key("dedup.window").durationType()
            .defaultValue(Duration.ofDays(1))
            .withDescription("An eventId is remembered, to drop producer retries, while its event time is within this much "
                    + "of the account's newest event time (event time: a replay de-duplicates exactly like the first run).");
    public static final ConfigOption<Integer> DEDUP_MAX_IDS = key("dedup.max-event-ids").intType().defaultValue(1024)
            .withDescription("The most eventIds remembered per account (8-byte hashes); past it the oldest are forgotten "
                    + "first. Bounds state for very busy accounts.");
    public static final ConfigOption<Integer> STATE_CACHE_SIZE = key("state.account-cache-size").intType()
            .noDefaultValue()
            .withDescription("Accounts each account-engine instance keeps deserialised between their events (accounts not used "
                    + "recently go first): a busy account is read from RocksDB once and written back once per checkpoint (or "
                    + "when it leaves the cache), not on every event. Size it to the accounts that see events within a "
                    + "checkpoint interval on one instance. Costs task heap when full: about 2 KB per account (more for accounts "
                    + "that remember many event ids, 16 B each, see dedup.max-event-ids) and, on RocksDB, up to 0.6 KB more "
                    + "for the flush's encoding of it; the job counts 3 KB. Unset, each instance takes the smaller of 40,000 "
                    + "and what fits in state.account-cache-heap-share of its part of the task heap (the task heap divided by "
                    + "the task manager's slots), and logs the size it chose. Set, the size is taken as given, with a warning "
                    + "at start-up when a full cache would take more than that share. RocksDB state backend only; 0 disables "
                    + "it.");
    public static final ConfigOption<Double> STATE_CACHE_HEAP_SHARE = key("state.account-cache-heap-share").doubleType()
            .defaultValue(0.5)
            .withDescription("The share (0.01-1) of an account-engine instance's part of the task heap (taskmanager.memory.task."
                    + "heap.size divided by taskmanager.numberOfTaskSlots; the JVM's maximum heap where Flink sets no task "
                    + "heap, as in a local run) that its account cache may fill: it sizes the cache when "
                    + "state.account-cache-size is unset, and a set size beyond it is warned about at start-up. The rest "
                    + "of the heap holds the held health snapshots, Kafka's buffers and the records in flight.");
    public static final ConfigOption<Boolean> KNOWN_ACCOUNTS_FILTER = key("state.known-accounts-filter").booleanType()
            .defaultValue(true)
            .withDescription("Each account-engine instance keeps a Bloom filter of the accounts that have state in it (about "
                    + "2-4 B of task heap per account seen since the last restore; gauges known_accounts and "
                    + "known_accounts_filter_bytes), so the first event of an account it has never seen skips RocksDB's two "
                    + "reads of state that account cannot have (its state, and whether it was a customer before); each such "
                    + "read of an absent key searches every table file that might hold it. On a restore the filter is "
                    + "rebuilt by reading every account key of the instance's state once, before the first record (about 1 microsecond "
                    + "per account). "
                    + "RocksDB state backend only (heap reads cost no more than the filter).");
    public static final ConfigOption<List<CompressionType>> ROCKSDB_COMPRESSION = key("state.rocksdb-compression-per-level")
            .enumType(CompressionType.class).asList()
            .defaultValues(CompressionType.NO_COMPRESSION, CompressionType.NO_COMPRESSION, CompressionType.LZ4_COMPRESSION)
            .withDescription("RocksDB compression per level, first level first; the last entry applies to every level below. "
                    + "The first two levels stay uncompressed: each checkpoint flushes the memtable that the account "
                    + "write-back has just filled into the first level, inside the checkpoint's synchronous part, and "
                    + "compressing it took about two thirds of that time (and so of the latency of exactly-once outputs); "
                    + "the lower levels, which hold most of the data, are compressed. Always sets Flink's "
                    + "state.backend.rocksdb.compression.per.level for this job (Flink's default: Snappy on every level), "
                    + "so a cluster-level value of that key does not reach it: set this option instead.");
    public static final ConfigOption<Boolean> ROCKSDB_BLOOM_FILTER = key("state.rocksdb-bloom-filter").booleanType()
            .noDefaultValue()
            .withDescription("A bloom filter in every RocksDB table file (10 bits per key, about 1.25 B per account and "
                    + "state, kept in RocksDB's block cache), so that reading an account the account cache does not hold "
                    + "looks only into the table files that may hold it. That read is what a cohort of accounts falling "
                    + "due together costs at scale: a million accounts' burst of milestone timers ran 10-38 % faster with "
                    + "filters in the benchmark (a new account's reads are skipped by state.known-accounts-filter either "
                    + "way). The price is latency: at 1 M accounts and 60,000 events/s the p99 of exactly-once outputs "
                    + "was 150-180 ms longer with them in both pairs of runs (at 100 k accounts +119 and -29 ms), "
                    + "the checkpoint's synchronous part, which writes a table file and then its filter too, 4-47 ms "
                    + "longer; catch-up throughput did not change beyond the runs' spread. Unset by default, so the "
                    + "cluster's state.backend.rocksdb.use-bloom-filter applies (Flink's default: off); when set, it sets "
                    + "that Flink option for this job.");
    public static final ConfigOption<Duration> CHURNED_MEMORY = key("state.churned-memory").durationType()
            .defaultValue(Duration.ofDays(400))
            .withDescription("How long an expired, formerly paying account is remembered so a return counts as REACTIVATION.");
    public static final ConfigOption<Duration> QUIET_EXPIRY = key("state.quiet-account-expiry").durationType()
            .defaultValue(Duration.ofDays(90))
            .withDescription("An account with no active subscription is cleared after this much event time without events. "
                    + "Accounts with an active subscription never expire.");
    public static final ConfigOption<BillingInterval> RENEWAL_PREP_MIN_INTERVAL = key("milestones.renewal-prep.min-interval")
            .enumType(BillingInterval.class).defaultValue(BillingInterval.YEARLY)
            .withDescription("The shortest billing interval whose renewals get a renewal preparation (a RENEWAL_PREP milestone "
                    + "90 days before the renewal). YEARLY by default: 90 days before a monthly or quarterly renewal lies at "
                    + "or before the start of its term, so the signal would fire the moment each term begins (every month for "
                    + "a monthly plan). MONTHLY prepares every renewal.");
    public static final ConfigOption<Duration> ONBOARDING_PERIOD = key("churn-risk.onboarding-period").durationType()
            .defaultValue(Duration.ofDays(14))
            .withDescription("How long after an account's first subscription starts its health score is still forming. "
                    + "Until then the score falling raises no churn-risk signal (BAND_DROP, SCORE_DROP) and none of its "
                    + "scores counts as the high a later drop is measured from: in a customer's first days the score rests "
                    + "on a few components and hours of data (one feature tried of the eight counted, a plan barely used "
                    + "yet), and watching it flagged nearly every new account as at risk. Payment failures are raised "
                    + "from the start. 0 watches the score from the first event.");
    public static final ConfigOption<String> CATALOG_FILE = key("catalog.file").stringType().noDefaultValue()
            .withDescription("Plan catalog and FX rates (JSON). Default: the catalog bundled in the jar.");

    public static final ConfigOption<List<Double>> LEVELS = key("thresholds.levels").doubleType().asList()
            .defaultValues(0.8, 0.9, 1.0).withDescription("Utilisation levels that fire, ascending (plans may override).");
    public static final ConfigOption<List<Double>> SEAT_LEVELS = key("thresholds.seat-levels").doubleType().asList()
            .defaultValues(0.9, 1.0).withDescription("Active users / purchased seats levels that fire.");
    public static final ConfigOption<Double> HYSTERESIS = key("thresholds.hysteresis").doubleType().defaultValue(0.05)
            .withDescription("A GAUGE level re-arms when utilisation falls below level minus this.");
    public static final ConfigOption<Duration> COOLDOWN = key("signals.cooldown").durationType().defaultValue(Duration.ofHours(24))
            .withDescription("Per account and signal type; an escalation to a higher level is never held back.");
    public static final ConfigOption<Integer> GATE_HITS = key("feature-gate.hits").intType().defaultValue(3)
            .withDescription("Premium-feature gate hits within feature-gate.window that make a FEATURE_GATE signal.");
    public static final ConfigOption<Duration> GATE_WINDOW = key("feature-gate.window").durationType()
            .defaultValue(Duration.ofDays(30)).withDescription("Window for feature-gate.hits.");
    public static final ConfigOption<Duration> FORECAST_HORIZON = key("forecast.horizon").durationType()
            .defaultValue(Duration.ofDays(90)).withDescription("Forecast a breach only if it is this close.");
    public static final ConfigOption<String> USAGE_PERIOD = key("usage.period").stringType().defaultValue("CALENDAR_MONTH")
            .withDescription("Period DELTA usage accumulates in and levels fire once in: CALENDAR_MONTH or DAY (UTC).");
    public static final ConfigOption<String> PORTFOLIO_PERIOD = key("portfolio.period").stringType()
            .defaultValue("CALENDAR_MONTH")
            .withDescription("Period of the portfolio metrics: CALENDAR_MONTH or DAY (UTC).");
    public static final ConfigOption<Double> HEALTHY_FROM = key("health.band.healthy-from").doubleType().defaultValue(70.0)
            .withDescription("Lowest score of the HEALTHY band.");
    public static final ConfigOption<Double> NEUTRAL_FROM = key("health.band.neutral-from").doubleType().defaultValue(40.0)
            .withDescription("Lowest score of the NEUTRAL band; below it is AT_RISK.");
    public static final ConfigOption<Double> SNAPSHOT_SCORE_STEP = key("health.snapshot.score-step").doubleType()
            .defaultValue(5.0)
            .withDescription("An account-health snapshot is emitted when MRR, band, plan, segment, subscriptions or seats "
                    + "change, or when the score moved at least this many points from the last snapshot's.");
    public static final ConfigOption<Double> SNAPSHOT_UTILISATION_STEP = key("health.snapshot.utilisation-step").doubleType()
            .defaultValue(0.1)
            .withDescription("... or when a metric's utilisation entered another step of this width (0.1: 0-10 %, 10-20 %, ...).");
    public static final ConfigOption<Integer> SNAPSHOT_BUFFER_SIZE = key("health.snapshot.buffer-size").intType()
            .defaultValue(25_000)
            .withDescription("Accounts whose newest account-health snapshot each account-engine instance holds until the next "
                    + "checkpoint barrier, writing only the newest: exactly-once readers see a checkpoint's records all at once "
                    + "and the topic is compacted, so a snapshot replaced within the same checkpoint is never the latest a "
                    + "reader sees. Past this many accounts the one updated longest ago is written early. Costs task heap "
                    + "(about 1.5 KB per held snapshot); 0 writes every snapshot as it is made.");
    public static final ConfigOption<Duration> SNAPSHOT_MAX_HOLD = key("health.snapshot.max-hold").durationType()
            .noDefaultValue()
            .withDescription("A held account-health snapshot (health.snapshot.buffer-size) is written once its account has "
                    + "been quiet this long, without waiting for the barrier: every snapshot still held at the barrier is "
                    + "written inside the checkpoint's synchronous part, which delays the exactly-once outputs. A longer hold "
                    + "replaces more snapshots, a shorter one leaves the barrier less to write. Default: half of "
                    + "checkpoint.interval.");
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = key("input.max-future-skew").durationType()
            .defaultValue(Duration.ofDays(1))
            .withDescription("Events stamped further than this ahead of the wall clock go to dead letters.");

    private static ConfigOption<String> topic(String name) {
        return key("topic." + name).stringType().defaultValue(name).withDescription("Name of the " + name + " topic.");
    }

    /** Every topic setting: the job's inputs, its outputs and the plan catalog. */
    public static List<ConfigOption<String>> topics() {
        return List.of(TOPIC_SUBSCRIPTIONS, TOPIC_USAGE, TOPIC_ENGAGEMENT, TOPIC_EXPANSION_SIGNALS, TOPIC_CHURN_RISK,
                TOPIC_ACCOUNT_HEALTH, TOPIC_MRR_MOVEMENTS, TOPIC_PORTFOLIO_METRICS, TOPIC_DEAD_LETTERS, TOPIC_PLAN_CATALOG);
    }

    /** Every option, for argument validation and documentation. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> all = new ArrayList<>(List.of(BOOTSTRAP_SERVERS, GROUP_ID, TRANSACTIONAL_ID_PREFIX,
                TRANSACTION_TIMEOUT, TRANSACTION_NAMING, STARTING_OFFSETS, VERIFY_TOPICS,
                REGISTRY_URL, REGISTRY_USERNAME, REGISTRY_PASSWORD, REGISTRY_AUTO_REGISTER, REGISTRY_RETRY_TIMEOUT,
                REGISTRY_MISSING_ID_CACHE_TTL));
        all.addAll(topics());
        all.addAll(List.of(CATALOG_TOPIC_ENABLED,
                CHECKPOINT_INTERVAL, PARALLELISM, OUT_OF_ORDERNESS, IDLENESS, DEDUP_WINDOW, DEDUP_MAX_IDS, STATE_CACHE_SIZE, STATE_CACHE_HEAP_SHARE, KNOWN_ACCOUNTS_FILTER, ROCKSDB_COMPRESSION, ROCKSDB_BLOOM_FILTER, CHURNED_MEMORY, QUIET_EXPIRY,
                CATALOG_FILE, LEVELS, SEAT_LEVELS, HYSTERESIS, COOLDOWN, GATE_HITS, GATE_WINDOW, FORECAST_HORIZON,
                USAGE_PERIOD, PORTFOLIO_PERIOD, HEALTHY_FROM, NEUTRAL_FROM, SNAPSHOT_SCORE_STEP,
                SNAPSHOT_UTILISATION_STEP, SNAPSHOT_BUFFER_SIZE, SNAPSHOT_MAX_HOLD, MAX_FUTURE_SKEW, RENEWAL_PREP_MIN_INTERVAL,
                ONBOARDING_PERIOD));
        return all;
    }
}
