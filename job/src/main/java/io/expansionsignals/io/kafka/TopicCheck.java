package io.expansionsignals.io.kafka;

import io.expansionsignals.config.ConfigurationException;
import io.expansionsignals.config.ExpansionSignalsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks at start-up that every topic the job reads or writes exists. Without it a missing output
 * topic shows only at the first write there, which for a rare output can be hours later: the
 * producer waits {@code max.block.ms} (60 s) for its metadata, every output of the transaction
 * stalls behind it, the job fails, restarts and does it again at the next such write. A missing
 * input topic leaves the job waiting for input that can never come. Both are configuration
 * errors, so they are reported as one, naming each setting. The plan-catalog topic is optional:
 * without it the catalog from the file stays in force, so a missing one is only a warning. So is
 * a topic meant to be compacted that is not: it still works, but grows with its retention and
 * every reader replays each snapshot instead of the latest per key.
 *
 * <p>Only a definite answer stops the job: brokers that cannot be reached or a principal that may
 * not describe topics leave the check undecided, which is logged, and the job starts as before.
 */
public final class TopicCheck {
    private static final Logger LOG = LoggerFactory.getLogger(TopicCheck.class);

    /**
     * A topic of the job.
     *
     * @param setting the setting that names it, e.g. {@code topic.account-health}
     * @param required whether the job stops if it is missing (otherwise a warning)
     * @param compacted whether it is meant to have {@code cleanup.policy=compact} (a warning if not)
     */
    public record Topic(String setting, String name, boolean required, boolean compacted) {
        String named() {
            return "'" + name + "' (setting '" + setting + "')";
        }
    }

    private TopicCheck() {}

    /**
     * @param clientProperties Kafka client properties, with {@code bootstrap.servers} and any security settings
     * @return the warnings, also logged: optional topics missing, topics meant to be compacted that are not
     * @throws ConfigurationException if any required topic does not exist
     */
    public static List<String> check(List<Topic> topics, Properties clientProperties, Duration timeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        Properties props = new Properties();
        // only what an admin client knows: producer and consumer settings passed through for the
        // sinks and sources (linger.ms, ...) would each log an "unknown config" warning here
        clientProperties.stringPropertyNames().stream().filter(AdminClientConfig.configNames()::contains)
                .forEach(k -> props.put(k, clientProperties.get(k)));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "expansion-signals-topic-check");
        List<String> missing = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        try (Admin admin = Admin.create(props)) {
            Map<String, KafkaFuture<TopicDescription>> described = admin
                    .describeTopics(topics.stream().map(Topic::name).distinct().toList(), new DescribeTopicsOptions().timeoutMs(millis))
                    .topicNameValues();
            List<Topic> present = new ArrayList<>();
            for (Topic t : topics) {
                try {
                    described.get(t.name()).get();
                    present.add(t);
                } catch (ExecutionException failed) {
                    if (!(failed.getCause() instanceof UnknownTopicOrPartitionException)) {
                        LOG.warn("Could not check that topic {} exists, starting anyway: {}", t.named(), failed.getCause().toString());
                    } else if (t.required()) {
                        missing.add(t.named());
                    } else {
                        warn(warnings, "Optional topic " + t.named() + " not found; the job runs without it");
                    }
                }
            }
            checkCompaction(admin, present, millis, warnings);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return warnings;
        } catch (RuntimeException e) {
            LOG.warn("Could not check that the job's topics exist, starting anyway: {}", e.toString());
            return warnings;
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException("topic" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " not found on the Kafka cluster at " + clientProperties.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + ". Create " + (missing.size() > 1 ? "them" : "it") + " (the README's output topics say which are compacted)"
                    + " or point the setting at an existing topic; '" + ExpansionSignalsOptions.VERIFY_TOPICS.key() + "' false skips this check,"
                    + " e.g. for brokers that create topics on first use.");
        }
        return warnings;
    }

    /** One request for every topic meant to be compacted; each answer is read on its own, so one refusal spoils no other. */
    private static void checkCompaction(Admin admin, List<Topic> present, int millis, List<String> warnings)
            throws InterruptedException {
        List<Topic> compacted = present.stream().filter(Topic::compacted).toList();
        if (compacted.isEmpty()) {
            return;
        }
        Map<ConfigResource, KafkaFuture<Config>> configs = admin.describeConfigs(
                compacted.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).distinct().toList(),
                new DescribeConfigsOptions().timeoutMs(millis)).values();
        for (Topic t : compacted) {
            try {
                ConfigEntry policy = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, t.name())).get()
                        .get(TopicConfig.CLEANUP_POLICY_CONFIG);
                if (policy != null && !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                    warn(warnings, "Topic " + t.named() + " has " + TopicConfig.CLEANUP_POLICY_CONFIG + "=" + policy.value()
                            + " but is meant to be compacted (" + TopicConfig.CLEANUP_POLICY_COMPACT
                            + "): it grows with its retention and readers replay every record instead of the latest per key");
                }
            } catch (ExecutionException failed) {
                LOG.warn("Could not check that topic {} is compacted: {}", t.named(), failed.getCause().toString());
            }
        }
    }

    private static void warn(List<String> warnings, String warning) {
        LOG.warn(warning);
        warnings.add(warning);
    }
}
