package io.expansionsignals.io.kafka;

import io.expansionsignals.config.ConfigurationException;
import io.expansionsignals.config.ExpansionSignalsOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.common.KafkaFuture;
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
 * without it the catalog from the file stays in force, so a missing one is only a warning.
 *
 * <p>Only a definite answer stops the job: brokers that cannot be reached or a principal that may
 * not describe topics leave the check undecided, which is logged, and the job starts as before.
 */
public final class TopicCheck {
    private static final Logger LOG = LoggerFactory.getLogger(TopicCheck.class);

    private TopicCheck() {}

    /**
     * @param required topic name per setting key (e.g. {@code topic.portfolio-metrics}): must exist
     * @param optional the same for topics the job can run without (the plan catalog): a warning if missing
     * @param clientProperties Kafka client properties, with {@code bootstrap.servers} and any security settings
     * @throws ConfigurationException if any required topic does not exist
     */
    public static void check(Map<String, String> required, Map<String, String> optional, Properties clientProperties,
            Duration timeout) {
        Map<String, String> topicsBySetting = new LinkedHashMap<>(required);
        topicsBySetting.putAll(optional);
        Properties props = new Properties();
        props.putAll(clientProperties);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "expansion-signals-topic-check");
        List<String> missing = new ArrayList<>();
        try (Admin admin = Admin.create(props)) {
            Map<String, KafkaFuture<org.apache.kafka.clients.admin.TopicDescription>> described = admin
                    .describeTopics(topicsBySetting.values().stream().distinct().toList(),
                            new DescribeTopicsOptions().timeoutMs(millis))
                    .topicNameValues();
            for (Map.Entry<String, String> e : topicsBySetting.entrySet()) {
                try {
                    described.get(e.getValue()).get();
                } catch (ExecutionException failed) {
                    if (!(failed.getCause() instanceof UnknownTopicOrPartitionException)) {
                        LOG.warn("Could not check that topic '{}' ({}) exists, starting anyway: {}", e.getValue(), e.getKey(),
                                failed.getCause().toString());
                        continue;
                    }
                    String named = "'" + e.getValue() + "' (setting '" + e.getKey() + "')";
                    if (optional.containsKey(e.getKey())) {
                        LOG.warn("Optional topic {} not found; the job runs without it", named);
                    } else {
                        missing.add(named);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.warn("Could not check that the job's topics exist, starting anyway: {}", e.toString());
            return;
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException("topic" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " not found on the Kafka cluster at " + clientProperties.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    + ". Create " + (missing.size() > 1 ? "them" : "it") + " (the README's output topics say which are compacted)"
                    + " or point the setting at an existing topic; '" + ExpansionSignalsOptions.VERIFY_TOPICS.key() + "' false skips this check,"
                    + " e.g. for brokers that create topics on first use.");
        }
    }
}
