package io.expansionsignals.io.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expansionsignals.config.ConfigurationException;
import io.expansionsignals.config.JobConfig;
import io.expansionsignals.pipeline.KafkaJob;
import io.expansionsignals.testutils.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The start-up topic check against a real broker that does not create topics on first use. */
class TopicCheckITCase {
    private static final List<String> OUTPUTS = List.of("expansion-signals", "churn-risk-signals", "account-health",
            "mrr-movements", "portfolio-metrics", "dead-letters");
    private static final List<String> INPUTS = List.of("subscription-events", "usage-events", "engagement-events");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Properties client(String bootstrap) {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", bootstrap);
        return p;
    }

    /** Job settings whose inputs and outputs all carry {@code prefix}, so each test has its own; no plan-catalog topic. */
    private static List<String> jobArgs(String prefix, String... extra) {
        List<String> args = new ArrayList<>(List.of("--kafka.bootstrap-servers", kafka.bootstrapServers(),
                "--registry.url", "http://127.0.0.1:1", "--registry.auto-register", "false"));
        for (String topic : concat(INPUTS, OUTPUTS)) {
            args.addAll(List.of("--topic." + topic, prefix + topic));
        }
        args.addAll(List.of(extra));
        return args;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> prefixed(String prefix, List<String> names) {
        return names.stream().map(n -> prefix + n).toList();
    }

    @Test
    void topicsThatExistPassAndAMissingOptionalOneOnlyWarns() throws Exception {
        kafka.createTopics(1, List.of("present-a", "present-b"));
        List<String> warnings = TopicCheck.check(List.of(required("topic.a", "present-a"), required("topic.b", "present-b"),
                new TopicCheck.Topic("topic.plan-catalog", "absent-catalog", false, true)), client(kafka.bootstrapServers()), TIMEOUT);
        assertThat(warnings).singleElement().asString()
                .contains("'absent-catalog' (setting 'topic.plan-catalog') not found; the job runs without it");
    }

    @Test
    void everyMissingTopicIsNamedWithItsSetting() throws Exception {
        kafka.createTopics(1, List.of("here"));
        List<TopicCheck.Topic> topics = List.of(required("topic.usage-events", "here"),
                required("topic.portfolio-metrics", "not-there"), required("topic.dead-letters", "nor-this"));
        assertThatThrownBy(() -> TopicCheck.check(topics, client(kafka.bootstrapServers()), TIMEOUT))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'not-there' (setting 'topic.portfolio-metrics')")
                .hasMessageContaining("'nor-this' (setting 'topic.dead-letters')")
                .hasMessageContaining("kafka.verify-topics")
                .hasMessageNotContaining("'here'");
    }

    @Test
    void aTopicMeantToBeCompactedThatIsNotIsAWarning() throws Exception {
        kafka.createTopics(1, List.of("compacted-account-health", "health-deleted")); // compacted by its name's ending
        List<String> warnings = TopicCheck.check(List.of(
                new TopicCheck.Topic("topic.account-health", "compacted-account-health", true, true),
                new TopicCheck.Topic("topic.plan-catalog", "health-deleted", true, true),
                required("topic.mrr-movements", "health-deleted")), client(kafka.bootstrapServers()), TIMEOUT);
        assertThat(warnings).singleElement().asString()
                .contains("'health-deleted' (setting 'topic.plan-catalog') has cleanup.policy=delete but is meant to be compacted");
    }

    @Test
    void brokersThatCannotBeReachedLeaveTheCheckUndecided() {
        long start = System.nanoTime();
        assertThatCode(() -> TopicCheck.check(List.of(required("topic.usage-events", "usage-events")), client("127.0.0.1:1"),
                Duration.ofSeconds(2))).doesNotThrowAnyException();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    private static TopicCheck.Topic required(String setting, String name) {
        return new TopicCheck.Topic(setting, name, true, false);
    }

    @Test
    void theJobDoesNotStartWithoutItsOutputTopicUnlessTheCheckIsOff() throws Exception {
        String prefix = "job-check-";
        List<String> allButOne = new ArrayList<>(prefixed(prefix, concat(INPUTS, OUTPUTS)));
        allButOne.remove(prefix + "portfolio-metrics");
        kafka.createTopics(1, allButOne);

        JobConfig checked = JobConfig.fromArgs(jobArgs(prefix).toArray(String[]::new));
        assertThatThrownBy(() -> KafkaJob.create(checked, StreamExecutionEnvironment.getExecutionEnvironment(),
                DeliveryGuarantee.EXACTLY_ONCE))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'" + prefix + "portfolio-metrics' (setting 'topic.portfolio-metrics')");

        JobConfig unchecked = JobConfig.fromArgs(jobArgs(prefix, "--kafka.verify-topics", "false").toArray(String[]::new));
        assertThatCode(() -> KafkaJob.create(unchecked, StreamExecutionEnvironment.getExecutionEnvironment(),
                DeliveryGuarantee.EXACTLY_ONCE)).doesNotThrowAnyException();

        kafka.createTopics(1, List.of(prefix + "portfolio-metrics"));
        assertThatCode(() -> KafkaJob.create(checked, StreamExecutionEnvironment.getExecutionEnvironment(),
                DeliveryGuarantee.EXACTLY_ONCE)).doesNotThrowAnyException();
    }
}
